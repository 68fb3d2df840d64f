package directory

import (
	"context"
	"net/http"
	"slices"

	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
)

// A portal acts for the person signed in to it (ADR 0016): a client named in Handler.Portals that sends a
// Registration access token carrying the role admin is an IM admin for that request. The IM's own admin role
// stays the only way for a machine to administer the IM; the portal's credential alone administers nothing,
// and the audit log names both the portal and the person.

// PersonVerifier checks a signed-in person's access token: *usertoken.Verifier.
type PersonVerifier interface {
	Verify(ctx context.Context, token string) (usertoken.Claims, error)
}

// withPerson verifies the access token a portal sends and puts its claims in the request's context; an
// invalid token is a 401 here. Another client's token is not looked at: it grants nothing on these APIs.
func (h *Handler) withPerson(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := imident.FromContext(r.Context())
		token, hasToken := bearer(r)
		if !ok || !hasToken || h.Persons == nil || !slices.Contains(h.Portals, c) {
			next.ServeHTTP(w, r)
			return
		}
		claims, err := h.Persons.Verify(r.Context(), token)
		if err != nil {
			st := usertoken.StatusOf(err)
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			rest.WriteError(w, r, runtime.HTTPStatusFromCode(st.Code()), st.Code(), st.Message())
			return
		}
		next.ServeHTTP(w, r.WithContext(usertoken.NewContext(r.Context(), claims)))
	})
}

// isAdmin reports whether c is an IM admin for this request: it holds the admin role, or it is a portal
// acting for an administrator.
func (h *Handler) isAdmin(r *http.Request, c imident.Client) (bool, error) {
	if h.actsForAdmin(r, c) {
		return true, nil
	}
	return h.Store.IsAdmin(r.Context(), c)
}

// actsForAdmin reports whether c is a portal acting for a person with Registration's admin role.
func (h *Handler) actsForAdmin(r *http.Request, c imident.Client) bool {
	p, ok := usertoken.FromContext(r.Context())
	return ok && slices.Contains(h.Portals, c) && p.HasRole(usertoken.RoleAdmin)
}

func bearer(r *http.Request) (string, bool) {
	for _, v := range r.Header.Values("Authorization") {
		if t, ok := usertoken.ParseBearer(v); ok {
			return t, true
		}
	}
	return "", false
}

// AdminOnly serves next to IM admins only (the IM's admin role, or a portal acting for an administrator):
// how the gateway mounts the IM's other administration APIs, such as the message log's verification.
func (h *Handler) AdminOnly(next http.Handler) http.Handler {
	return h.withPerson(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := h.admin(w, r); ok {
			next.ServeHTTP(w, r)
		}
	}))
}
