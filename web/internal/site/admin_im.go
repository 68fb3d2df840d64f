package site

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The administrator's view of the Information Mediator: its members and their subsystems, each one's
// services and who may call them, and granting and revoking a right — each change confirmed on a page of its
// own first. Everything comes from the IM's configuration API (GET /api/v1/config) and its rights API
// (PATCH /api/v1/rights/allow|deny), which take the portal acting for a signed-in administrator (ADR 0016).

// imMemberRow is one subsystem of the members list.
type imMemberRow struct {
	Member, MemberID, Application string
	Services                      []imServiceLink
}

type imServiceLink struct {
	Code, Link string
	Rights     int
	// Callers name who may call it, each once (a subsystem by its code, a group as the page words it).
	Callers string
}

// imMembersPage lists the members, their subsystems and services.
func (s *Site) imMembersPage(c *Ctx) {
	conf, err := s.api.IMConfiguration(c.R.Context(), c.Data.AccessToken)
	if err != nil {
		c.apiFail(err)
		return
	}
	var rows []imMemberRow
	for _, m := range conf.Members {
		inst := orDefault(m.Instance, conf.Instance)
		for _, app := range m.Applications {
			row := imMemberRow{Member: m.Name, MemberID: inst + "/" + m.Class + "/" + m.Code, Application: app.ID}
			for _, svc := range app.Services {
				ref := gatewayapi.ServiceRef{Instance: inst, Class: m.Class, Member: m.Code, Application: app.ID, Service: svc.ID}
				row.Services = append(row.Services, imServiceLink{Code: svc.ID, Link: serviceLink(ref), Rights: len(svc.Rights),
					Callers: callers(c, svc.Rights)})
			}
			rows = append(rows, row)
		}
	}
	c.Render("admin-im", "admin.im.title", nil, map[string]any{"Rows": rows})
}

// callers names the grantees of rights once each, in the order first granted.
func callers(c *Ctx, rights []gatewayapi.IMRight) string {
	var names []string
	seen := map[string]bool{}
	for _, r := range rights {
		name := r.Application
		if name == "" {
			name = c.Loc.T("admin.im.group", r.Group)
		}
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

// serviceLink is the page of a service: /admin/im/services/INSTANCE:CLASS:MEMBER:APPLICATION/SERVICE.
func serviceLink(r gatewayapi.ServiceRef) string {
	return "/admin/im/services/" + url.PathEscape(strings.Join([]string{r.Instance, r.Class, r.Member, r.Application}, ":")) +
		"/" + url.PathEscape(r.Service)
}

// serviceFromPath reads the service of a service page's path.
func serviceFromPath(c *Ctx) (gatewayapi.ServiceRef, bool) {
	p := strings.Split(c.R.PathValue("provider"), ":")
	svc := c.R.PathValue("service")
	if len(p) != 4 || svc == "" || slicesHasEmpty(p) {
		return gatewayapi.ServiceRef{}, false
	}
	return gatewayapi.ServiceRef{Instance: p[0], Class: p[1], Member: p[2], Application: p[3], Service: svc}, true
}

func slicesHasEmpty(p []string) bool {
	for _, s := range p {
		if s == "" {
			return true
		}
	}
	return false
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// imRightRow is one right of a service, with what its revoke form sends. Method and API split a gRPC
// endpoint ("/govstack.registries.v1.RegistriesService/ReadRecord") so the table stays narrow.
type imRightRow struct {
	Grantee, Endpoints string
	Method, API        string
	Client, Endpoint   string // the revoke form's values
}

// imService is a service page's data.
type imService struct {
	Ref                      gatewayapi.ServiceRef
	Provider, Link, BB       string
	Enabled                  bool
	Rights                   []imRightRow
	ConfirmAllow, ConfirmRev bool
}

func (s *Site) imServicePage(c *Ctx) { s.renderIMService(c, http.StatusOK, NewForm()) }

// renderIMService shows a service's rights, the revoke buttons and the grant form.
func (s *Site) renderIMService(c *Ctx, status int, f *Form) {
	ref, ok := serviceFromPath(c)
	if !ok {
		s.notFound(c)
		return
	}
	conf, err := s.api.IMConfiguration(c.R.Context(), c.Data.AccessToken)
	if err != nil {
		c.apiFail(err)
		return
	}
	svc, found := findService(conf, ref)
	if !found {
		s.notFound(c)
		return
	}
	d := imService{Ref: ref, Provider: strings.Join([]string{ref.Instance, ref.Class, ref.Member, ref.Application}, "/"),
		Link: serviceLink(ref), BB: svc.BB, Enabled: svc.Enabled == nil || *svc.Enabled}
	for _, r := range svc.Rights {
		d.Rights = append(d.Rights, rightRow(c, conf.Instance, r)...)
	}
	c.RenderStatus(status, "admin-im-service", "admin.im.service.title", f, d)
}

// rightRow is a right as rows of the table: one per endpoint, so each can be revoked alone.
func rightRow(c *Ctx, instance string, r gatewayapi.IMRight) []imRightRow {
	client := "group:" + r.Group
	grantee := c.Loc.T("admin.im.group", r.Group)
	if r.Application != "" {
		client = strings.Join([]string{orDefault(r.Instance, instance), r.MemberClass, r.Member, r.Application}, "/")
		grantee = client
	}
	if len(r.Endpoints) == 0 || len(r.Endpoints) == 1 && r.Endpoints[0] == "*" {
		return []imRightRow{{Grantee: grantee, Endpoints: c.Loc.T("admin.im.whole_service"), Client: client}}
	}
	out := make([]imRightRow, 0, len(r.Endpoints))
	for _, e := range r.Endpoints {
		api, method, _ := strings.Cut(strings.TrimPrefix(e, "/"), "/")
		out = append(out, imRightRow{Grantee: grantee, Endpoints: e, Method: method, API: api, Client: client, Endpoint: e})
	}
	return out
}

func findService(conf gatewayapi.IMConfig, ref gatewayapi.ServiceRef) (gatewayapi.IMService, bool) {
	for _, m := range conf.Members {
		if orDefault(m.Instance, conf.Instance) != ref.Instance || m.Class != ref.Class || m.Code != ref.Member {
			continue
		}
		for _, app := range m.Applications {
			for _, svc := range app.Services {
				if app.ID == ref.Application && svc.ID == ref.Service {
					return svc, true
				}
			}
		}
	}
	return gatewayapi.IMService{}, false
}
