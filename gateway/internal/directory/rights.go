package directory

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/imident"
	"google.golang.org/grpc/codes"
)

// serviceAccessRights is one item of the specification's ServiceAccessRights: a service (provider
// memberClass/memberCode/applicationId and serviceId) and the applications allowed or denied. InstanceID is
// an addition: it defaults to the IM's instance.
type serviceAccessRights struct {
	InstanceID    string               `json:"instanceId,omitempty"`
	MemberClass   string               `json:"memberClass"`
	MemberCode    string               `json:"memberCode"`
	ApplicationID string               `json:"applicationId"`
	ServiceID     string               `json:"serviceId"`
	Rights        []allowedApplication `json:"rights"`
}

// allowedApplication is the specification's AllowedApplication plus three additions: instanceId (default:
// the IM's instance), group (grant to a group instead, e.g. "all"), and endpoints (gRPC full method names;
// default ["*"], the whole service).
type allowedApplication struct {
	InstanceID    string   `json:"instanceId,omitempty"`
	MemberClass   string   `json:"memberClass,omitempty"`
	MemberCode    string   `json:"memberCode,omitempty"`
	ApplicationID string   `json:"applicationId,omitempty"`
	Group         string   `json:"group,omitempty"`
	Endpoints     []string `json:"endpoints,omitempty"`
}

func (h *Handler) orInstance(s string) string {
	if s == "" {
		return h.Instance
	}
	return s
}

func (h *Handler) serviceRef(a serviceAccessRights) registry.ServiceRef {
	return registry.ServiceRef{Code: a.ServiceID, Provider: imident.Client{Instance: h.orInstance(a.InstanceID),
		Class: a.MemberClass, Member: a.MemberCode, Subsystem: a.ApplicationID}}
}

func (h *Handler) subject(a allowedApplication) registry.Subject {
	if a.Group != "" && a.MemberClass == "" && a.MemberCode == "" && a.ApplicationID == "" {
		return registry.Subject{Group: a.Group}
	}
	return registry.Subject{Group: a.Group, Client: imident.Client{Instance: h.orInstance(a.InstanceID),
		Class: a.MemberClass, Member: a.MemberCode, Subsystem: a.ApplicationID}}
}

// mayManage reports whether c may change the rights of svc: an admin, or the service's own provider.
func (h *Handler) mayManage(r *http.Request, c imident.Client, svc registry.ServiceRef) (bool, error) {
	if c == svc.Provider {
		return true, nil
	}
	return h.isAdmin(r, c)
}

// changeRights serves PATCH /api/v1/rights/allow (allow=true) and /deny: every item is checked for
// permission first, then all are applied in one transaction (all or nothing). Deny without endpoints revokes every grant the subject holds on
// the service; with endpoints, just those grants (a whole-service grant still covers them). Rights held
// through a group stay until the group's grant is denied or the client leaves the group.
func (h *Handler) changeRights(allow bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := caller(w, r)
		if !ok {
			return
		}
		var items []serviceAccessRights
		if !decode(w, r, &items) {
			return
		}
		for i, it := range items {
			if it.ServiceID == "" || len(it.Rights) == 0 {
				badRequest(w, r, fmt.Sprintf("item %d: serviceId and a non-empty rights list are required", i))
				return
			}
			svc := h.serviceRef(it)
			may, err := h.mayManage(r, c, svc)
			if err != nil {
				h.writeError(w, r, err)
				return
			}
			if !may {
				rest.WriteError(w, r, http.StatusForbidden, codes.PermissionDenied, c.String()+
					" may not change the rights of "+svc.String()+": only IM admins and the service's provider may")
				return
			}
		}
		n := 0
		err := h.Store.Atomically(r.Context(), func(ctx context.Context) error {
			n = 0
			for _, it := range items {
				for _, a := range it.Rights {
					if err := h.applyRight(ctx, allow, h.subject(a), h.serviceRef(it), a.Endpoints); err != nil {
						return err
					}
					n++
				}
			}
			return nil
		})
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		verb := map[bool]string{true: "allowed", false: "denied"}[allow]
		writeJSON(w, http.StatusOK, map[string]any{"status": "OK", "message": fmt.Sprintf("%d right(s) %s", n, verb)})
	}
}

// applyRight allows or denies one right (see changeRights).
func (h *Handler) applyRight(ctx context.Context, allow bool, sub registry.Subject, svc registry.ServiceRef, endpoints []string) error {
	switch {
	case allow:
		return h.Store.Allow(ctx, sub, svc, endpoints...)
	case len(endpoints) == 0:
		return h.Store.RevokeAll(ctx, sub, svc)
	default:
		return h.Store.Revoke(ctx, sub, svc, endpoints...)
	}
}

// listAllowed serves GET /api/v1/rights/allow, paged over (service, grant) pairs in service order. Admins see
// every right; any other client sees only the rights on its own services.
func (h *Handler) listAllowed(w http.ResponseWriter, r *http.Request) {
	c, ok := caller(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	f := registry.RightsFilter{Instance: q.Get("instanceId"), Class: q.Get("memberClass"), Member: q.Get("memberCode"),
		Subsystem: q.Get("applicationId"), ServiceCode: q.Get("serviceId")}
	isAdmin, err := h.isAdmin(r, c)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if !isAdmin {
		if (f.Instance != "" && f.Instance != c.Instance) || (f.Class != "" && f.Class != c.Class) ||
			(f.Member != "" && f.Member != c.Member) || (f.Subsystem != "" && f.Subsystem != c.Subsystem) {
			rest.WriteError(w, r, http.StatusForbidden, codes.PermissionDenied,
				c.String()+" may only list the rights on its own services (or be an IM admin)")
			return
		}
		f.Instance, f.Class, f.Member, f.Subsystem = c.Instance, c.Class, c.Member, c.Subsystem
	}
	size, after, ok := pageParams(w, r)
	if !ok {
		return
	}
	rights, err := h.Store.ListRights(r.Context(), f, after, size+1)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := struct {
		NextPageToken string                `json:"nextPageToken,omitempty"`
		AllowList     []serviceAccessRights `json:"allowList"`
	}{AllowList: groupRights(rights[:min(size, len(rights))])}
	if len(rights) > size {
		out.NextPageToken = encodeToken(rights[size-1].Cursor)
	}
	writeJSON(w, http.StatusOK, out)
}

// maxPageSize bounds pageSize, so one request cannot ask for every right at once.
const maxPageSize = 1000

func pageParams(w http.ResponseWriter, r *http.Request) (int, registry.Cursor, bool) {
	q := r.URL.Query()
	size := 100
	if s := q.Get("pageSize"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxPageSize {
			badRequest(w, r, fmt.Sprintf("pageSize must be a whole number from 1 to %d (got %q)", maxPageSize, s))
			return 0, registry.Cursor{}, false
		}
		size = n
	}
	var after registry.Cursor
	if t := q.Get("nextPageToken"); t != "" {
		var ok bool
		if after, ok = decodeToken(t); !ok {
			badRequest(w, r, "nextPageToken is not one this API gave out; pass it back verbatim or leave it out to start over")
			return 0, registry.Cursor{}, false
		}
	}
	return size, after, true
}

func encodeToken(c registry.Cursor) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d.%d", c.ServiceID, c.RightID))
}

func decodeToken(t string) (registry.Cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return registry.Cursor{}, false
	}
	a, b2, found := strings.Cut(string(b), ".")
	s, err1 := strconv.ParseInt(a, 10, 64)
	g, err2 := strconv.ParseInt(b2, 10, 64)
	return registry.Cursor{ServiceID: s, RightID: g}, found && err1 == nil && err2 == nil && s >= 0 && g >= 0
}

// groupRights folds consecutive grants of one service (and one subject) into the specification's shape.
func groupRights(rights []registry.Right) []serviceAccessRights {
	out := []serviceAccessRights{}
	for _, x := range rights {
		p := x.Service.Provider
		if n := len(out); n == 0 || out[n-1].key() != x.Service.String() {
			out = append(out, serviceAccessRights{InstanceID: p.Instance, MemberClass: p.Class, MemberCode: p.Member,
				ApplicationID: p.Subsystem, ServiceID: x.Service.Code})
		}
		last := &out[len(out)-1]
		a := allowedApplication{Group: x.Subject.Group}
		if x.Subject.Group == "" {
			c := x.Subject.Client
			a = allowedApplication{InstanceID: c.Instance, MemberClass: c.Class, MemberCode: c.Member, ApplicationID: c.Subsystem}
		}
		if n := len(last.Rights); n > 0 && sameSubject(last.Rights[n-1], a) {
			last.Rights[n-1].Endpoints = append(last.Rights[n-1].Endpoints, x.Endpoint)
			continue
		}
		a.Endpoints = []string{x.Endpoint}
		last.Rights = append(last.Rights, a)
	}
	return out
}

func (s serviceAccessRights) key() string {
	return s.InstanceID + "/" + s.MemberClass + "/" + s.MemberCode + "/" + s.ApplicationID + "/" + s.ServiceID
}

func sameSubject(a, b allowedApplication) bool {
	a.Endpoints, b.Endpoints = nil, nil
	return a.InstanceID == b.InstanceID && a.MemberClass == b.MemberClass && a.MemberCode == b.MemberCode &&
		a.ApplicationID == b.ApplicationID && a.Group == b.Group
}
