package directory

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/platform/imident"
)

// imConf is the specification's IMconf. It maps onto the registry as: members → members; applications →
// their subsystems; services → the subsystems' services (id = service code, serviceUrl = gRPC address,
// specUrl = where the description is: fetched when applied, or this IM's getOpenAPI URL, which keeps it);
// rights → grants on the whole service. Additions: a member's instance (when not the IM's), a service's
// openapi (the description inline), bb and enabled, a right's memberClass, group and endpoints.
type imConf struct {
	Domain   string       `json:"domain"`
	Instance string       `json:"instance"`
	Members  []confMember `json:"members"`
}

type confMember struct {
	Instance     string    `json:"instance,omitempty"`
	Name         string    `json:"name"`
	Class        string    `json:"class"`
	Code         string    `json:"code"`
	Applications []confApp `json:"applications"`
}

type confApp struct {
	ID         string        `json:"id"`
	Connection string        `json:"connection,omitempty"`
	Services   []confService `json:"services"`
}

type confService struct {
	ID         string          `json:"id"`
	SpecURL    string          `json:"specUrl,omitempty"`
	OpenAPI    json.RawMessage `json:"openapi,omitempty"` // the description itself: a JSON object or a YAML string
	ServiceURL string          `json:"serviceUrl,omitempty"`
	BB         string          `json:"bb,omitempty"`
	Enabled    *bool           `json:"enabled,omitempty"`
	Rights     []confRight     `json:"rights"`
}

// confRight names an allowed client: member is the member's code (or, when no code matches, its name),
// application its subsystem.
type confRight struct {
	Instance    string   `json:"instance,omitempty"`
	MemberClass string   `json:"memberClass,omitempty"`
	Member      string   `json:"member,omitempty"`
	Application string   `json:"application,omitempty"`
	Group       string   `json:"group,omitempty"`
	Endpoints   []string `json:"endpoints,omitempty"`
}

// getConfig describes the registry as an IMconf.
func (h *Handler) getConfig(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.admin(w, r); !ok {
		return
	}
	conf, err := h.describe(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, conf)
}

func (h *Handler) describe(r *http.Request) (imConf, error) {
	ctx := r.Context()
	members, err := h.Store.ListClients(ctx, "")
	if err != nil {
		return imConf{}, err
	}
	services, err := h.Store.ListServices(ctx, imident.Client{})
	if err != nil {
		return imConf{}, err
	}
	rights, err := h.allRights(r)
	if err != nil {
		return imConf{}, err
	}
	conf := imConf{Domain: h.Domain, Instance: h.Instance, Members: []confMember{}}
	for _, m := range members {
		cm := confMember{Name: m.Name, Class: m.Class, Code: m.Code, Applications: []confApp{}}
		if m.Instance != h.Instance {
			cm.Instance = m.Instance
		}
		for _, sub := range m.Subsystems {
			app := confApp{ID: sub, Services: []confService{}}
			provider := imident.Client{Instance: m.Instance, Class: m.Class, Member: m.Code, Subsystem: sub}
			for _, svc := range services {
				if svc.Provider == provider {
					app.Services = append(app.Services, h.describeService(svc, rights[svc.Key()]))
				}
			}
			cm.Applications = append(cm.Applications, app)
		}
		conf.Members = append(conf.Members, cm)
	}
	return conf, nil
}

func (h *Handler) describeService(svc registry.Service, rights []confRight) confService {
	enabled := svc.Enabled
	cs := confService{ID: svc.Code, BB: svc.BB, Enabled: &enabled, Rights: rights,
		SpecURL: ownSpecURL(svc.Provider, svc.Code)}
	if cs.Rights == nil {
		cs.Rights = []confRight{}
	}
	if svc.GRPCAddr != "" {
		cs.ServiceURL = "grpc://" + svc.GRPCAddr
	}
	return cs
}

// allRights reads every grant, by service key.
func (h *Handler) allRights(r *http.Request) (map[string][]confRight, error) {
	out := map[string][]confRight{}
	var after registry.Cursor
	for {
		page, err := h.Store.ListRights(r.Context(), registry.RightsFilter{}, after, maxPageSize)
		if err != nil || len(page) == 0 {
			return out, err
		}
		for _, x := range page {
			cr := confRight{Group: x.Subject.Group}
			if c := x.Subject.Client; x.Subject.Group == "" {
				cr = confRight{MemberClass: c.Class, Member: c.Member, Application: c.Subsystem}
				if c.Instance != h.Instance {
					cr.Instance = c.Instance
				}
			}
			if x.Endpoint != registry.Everything {
				cr.Endpoints = []string{x.Endpoint}
			}
			out[x.Service.String()] = append(out[x.Service.String()], cr)
		}
		after = page[len(page)-1].Cursor
	}
}

// configMode is how a configuration body is applied.
type configMode int

const (
	modeCreate  configMode = iota // POST: add what is described (init=true has nothing to create here: the gateway is the central server)
	modeUpdate                    // PATCH: add and update what is described; nothing else changes
	modeReplace                   // PUT: as PATCH, then the described subsystems' services and rights are exactly as described
)

// applyConfig registers what a body describes, in one transaction (with its audit records): the body is
// validated first, so most mistakes are found before anything is tried, and a failure half-way (an unknown
// endpoint in a right, say) leaves the registry as it was.
func (h *Handler) applyConfig(mode configMode) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := h.admin(w, r); !ok {
			return
		}
		var conf imConf
		if !decode(w, r, &conf) {
			return
		}
		plan, err := h.plan(r, conf)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		err = h.Store.Atomically(r.Context(), func(ctx context.Context) error { return plan.apply(ctx, h.Store, mode) })
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, fmt.Sprintf("configuration applied: %d member(s), %d subsystem(s), %d service(s), %d right(s)",
			len(plan.members), len(plan.subsystems), len(plan.services), len(plan.rights)))
	}
}

// confPlan is a validated configuration body as registry calls.
type confPlan struct {
	members    []registry.Member
	subsystems []imident.Client
	services   []planService
	rights     []planRight
}

type planService struct {
	svc       registry.Service
	keepState bool // enabled was not given: a new service starts enabled, an existing one keeps its flag
}

type planRight struct {
	subject   registry.Subject
	service   registry.ServiceRef
	endpoints []string
}

func (h *Handler) plan(r *http.Request, conf imConf) (confPlan, error) {
	var p confPlan
	if strings.TrimSpace(conf.Instance) == "" || strings.TrimSpace(conf.Domain) == "" {
		return p, invalid("domain and instance are required (IMconf)")
	}
	known, err := h.Store.ListClients(r.Context(), "")
	if err != nil {
		return p, err
	}
	for _, m := range conf.Members {
		inst := m.Instance
		if inst == "" {
			inst = conf.Instance
		}
		p.members = append(p.members, registry.Member{Instance: inst, Class: m.Class, Code: m.Code, Name: m.Name})
	}
	resolve := newResolver(conf.Instance, known, p.members)
	for i, m := range conf.Members {
		for j, app := range m.Applications {
			provider := imident.Client{Instance: p.members[i].Instance, Class: m.Class, Member: m.Code, Subsystem: app.ID}
			p.subsystems = append(p.subsystems, provider)
			for k, s := range app.Services {
				// Fetched here, before the transaction: no database transaction waits on another host.
				field := fmt.Sprintf("members[%d].applications[%d].services[%d]", i, j, k)
				doc, err := serviceOpenAPI(r.Context(), field, provider, s)
				if err != nil {
					return p, err
				}
				ps, rights, err := planOne(provider, s, doc, resolve)
				if err != nil {
					return p, err
				}
				p.services = append(p.services, ps)
				p.rights = append(p.rights, rights...)
			}
		}
	}
	return p, nil
}

func planOne(provider imident.Client, s confService, openapi []byte, resolve resolver) (planService, []planRight, error) {
	svc := registry.Service{Provider: provider, Code: s.ID, BB: s.BB, Enabled: true, OpenAPI: openapi,
		GRPCAddr: strings.TrimPrefix(strings.TrimPrefix(s.ServiceURL, "grpc://"), "dns:///")}
	if s.Enabled != nil {
		svc.Enabled = *s.Enabled
	}
	ps := planService{svc: svc, keepState: s.Enabled == nil}
	var rights []planRight
	for _, cr := range s.Rights {
		sub, err := resolve.subject(cr)
		if err != nil {
			return ps, nil, fmt.Errorf("service %s: %w", svc.Key(), err)
		}
		rights = append(rights, planRight{subject: sub, service: svc.Ref(), endpoints: cr.Endpoints})
	}
	return ps, rights, nil
}

func (p confPlan) apply(ctx context.Context, s *registry.Store, mode configMode) error {
	for _, m := range p.members {
		if err := s.RegisterMember(ctx, m); err != nil {
			return err
		}
	}
	for _, c := range p.subsystems {
		if err := s.RegisterSubsystem(ctx, c); err != nil {
			return err
		}
	}
	for _, ps := range p.services {
		register := s.RegisterService
		if ps.keepState {
			register = s.EnsureService
		}
		if err := register(ctx, ps.svc); err != nil {
			return err
		}
	}
	if mode == modeReplace {
		if err := p.replace(ctx, s); err != nil {
			return err
		}
	}
	for _, x := range p.rights {
		if err := s.Allow(ctx, x.subject, x.service, x.endpoints...); err != nil {
			return err
		}
	}
	return nil
}

// replace makes the described subsystems' services and rights exactly the described ones: services of a
// described subsystem that the body leaves out are disabled (not deleted: keys, grants and history stay),
// and every grant on a described service is revoked before the described rights are granted again.
func (p confPlan) replace(ctx context.Context, s *registry.Store) error {
	described := map[string]bool{}
	for _, ps := range p.services {
		described[ps.svc.Key()] = true
	}
	for _, provider := range p.subsystems {
		services, err := s.ListServices(ctx, provider)
		if err != nil {
			return err
		}
		for _, svc := range services {
			if !described[svc.Key()] {
				if err := s.SetServiceEnabled(ctx, svc.Provider, svc.Code, false); err != nil {
					return err
				}
				continue
			}
			if err := revokeEverything(ctx, s, svc.Ref()); err != nil {
				return err
			}
		}
	}
	return nil
}

func revokeEverything(ctx context.Context, s *registry.Store, ref registry.ServiceRef) error {
	p := ref.Provider
	rights, err := s.ListRights(ctx, registry.RightsFilter{Instance: p.Instance, Class: p.Class, Member: p.Member,
		Subsystem: p.Subsystem, ServiceCode: ref.Code}, registry.Cursor{}, 1<<20)
	if err != nil {
		return err
	}
	for _, x := range rights {
		if err := s.Revoke(ctx, x.Subject, ref, x.Endpoint); err != nil {
			return err
		}
	}
	return nil
}
