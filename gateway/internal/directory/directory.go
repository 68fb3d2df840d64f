// Package directory serves the Information Mediator's own APIs over the service registry: the Directory
// (metaservices) API of GovStack_IM_Directory_Services_API.yaml, the Configuration Management API of
// GovStack_IM_Configuration_Management_API.yaml, and operator endpoints for credentials, roles, groups and
// service switches in the same style. They are plain net/http handlers: the IM itself answers them, no BB
// is behind them, and parts of their bodies are free-form JSON.
//
// Who calls is the authenticated client the gateway's authentication middleware put in the context
// (imident.FromContext). The metaservices need a client (the specification requires X-GovStack-Client);
// listClients is public; everything under /api/v1 needs the admin role, except that a provider subsystem
// may read and change the access rights of its own services. A portal (Handler.Portals) acting for a person
// whose Registration access token carries the role admin counts as an admin (persons.go, ADR 0016).
package directory

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/imident"
	"google.golang.org/grpc/codes"
)

// Handler serves the directory and configuration APIs.
type Handler struct {
	Store *registry.Store
	// Instance is this IM's GovStack instance (e.g. "GOVSTACK"): the default instance of members and services
	// named without one in the configuration and rights APIs.
	Instance string
	// Domain is reported as the configuration's domain (GET /api/v1/config).
	Domain string
	Log    *slog.Logger // nil: slog.Default()
	// Portals are the clients that may act for a signed-in administrator (GOVSTACK_GATEWAY_PORTAL_CLIENTS);
	// Persons verifies that person's access token. Either empty turns delegation off.
	Portals []imident.Client
	Persons PersonVerifier
}

// identityPath is the provider part of the metaservice paths.
const identityPath = "/{instanceId}/{memberClass}/{memberCode}/{applicationCode}"

// metaservices are served under /r1 and, as the specification says, without it too. Their last segment is
// a literal, so they never overlap the BB routing pattern (/r1/…/{serviceCode}/{rest...}, at least six
// segments) or another API's patterns unless one ends in a wildcard fifth segment; the tests mount them with
// the gateway's routing pattern to prove it.
var metaservices = []string{"listMethods", "allowedMethods", "getOpenAPI"}

// Register mounts every route on mux (Go 1.22 patterns): an *http.ServeMux, or a test's recorder.
func (h *Handler) Register(mux rest.Mux) {
	route := func(pattern string, fn http.HandlerFunc) {
		mux.Handle(pattern, rest.SetRoute(pattern, h.withPerson(fn)))
	}
	route("GET /listClients", h.listClients)
	handlers := map[string]http.HandlerFunc{"listMethods": h.listMethods, "allowedMethods": h.allowedMethods, "getOpenAPI": h.getOpenAPI}
	for _, name := range metaservices {
		route("GET /r1"+identityPath+"/"+name, handlers[name])
		route("GET "+identityPath+"/"+name, handlers[name])
	}
	route("GET /api/v1/config", h.getConfig)
	route("POST /api/v1/config", h.applyConfig(modeCreate))
	route("PATCH /api/v1/config", h.applyConfig(modeUpdate))
	route("PUT /api/v1/config", h.applyConfig(modeReplace))
	route("GET /api/v1/status", h.status)
	route("GET /api/v1/rights/allow", h.listAllowed)
	route("PATCH /api/v1/rights/allow", h.changeRights(true))
	route("PATCH /api/v1/rights/deny", h.changeRights(false))
	h.registerOperator(route)
}

func (h *Handler) log() *slog.Logger {
	if h.Log != nil {
		return h.Log
	}
	return slog.Default()
}

// writeJSON answers 200 (or status) with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// kindStatus maps the registry's apierr kinds to the HTTP status and gRPC code of the gateway's error body.
var kindStatus = map[apierr.Kind]struct {
	http int
	code codes.Code
}{
	apierr.KindInvalidArgument:    {http.StatusBadRequest, codes.InvalidArgument},
	apierr.KindFailedPrecondition: {http.StatusBadRequest, codes.FailedPrecondition},
	apierr.KindNotFound:           {http.StatusNotFound, codes.NotFound},
	apierr.KindAlreadyExists:      {http.StatusConflict, codes.AlreadyExists},
	apierr.KindAborted:            {http.StatusConflict, codes.Aborted},
	apierr.KindPermissionDenied:   {http.StatusForbidden, codes.PermissionDenied},
	apierr.KindUnauthenticated:    {http.StatusUnauthorized, codes.Unauthenticated},
	apierr.KindUnavailable:        {http.StatusServiceUnavailable, codes.Unavailable},
	apierr.KindDeadlineExceeded:   {http.StatusGatewayTimeout, codes.DeadlineExceeded},
}

// writeError answers a registry error: its apierr kind decides the status; anything else is logged and
// answered 500 without detail.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if e, ok := apierr.As(err); ok {
		if s, known := kindStatus[e.Kind]; known {
			var details []rest.Detail
			for _, v := range e.Violations {
				details = append(details, rest.Detail{Type: "fieldViolation", Field: v.Field, Description: v.Description})
			}
			rest.WriteError(w, r, s.http, s.code, e.Message, details...)
			return
		}
	}
	h.log().ErrorContext(r.Context(), "IM registry request failed", slog.String("route", rest.InfoFrom(r.Context()).Route),
		slog.String("error", err.Error()), slog.String("request_id", rest.InfoFrom(r.Context()).ID))
	rest.WriteError(w, r, http.StatusInternalServerError, codes.Internal, "internal error")
}

func badRequest(w http.ResponseWriter, r *http.Request, msg string) {
	rest.WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument, msg)
}

// caller returns the authenticated client, or answers 401.
func caller(w http.ResponseWriter, r *http.Request) (imident.Client, bool) {
	c, ok := imident.FromContext(r.Context())
	if !ok || c.IsZero() {
		w.Header().Set("WWW-Authenticate", `GovStack-Api-Key realm="govstack-im"`)
		rest.WriteError(w, r, http.StatusUnauthorized, codes.Unauthenticated,
			"this IM API needs an authenticated client: send X-GovStack-Client with a client certificate or an X-GovStack-Api-Key")
		return imident.Client{}, false
	}
	return c, true
}

// admin returns the caller when it holds the admin role, or answers 401/403.
func (h *Handler) admin(w http.ResponseWriter, r *http.Request) (imident.Client, bool) {
	c, ok := caller(w, r)
	if !ok {
		return c, false
	}
	isAdmin, err := h.isAdmin(r, c)
	if err != nil {
		h.writeError(w, r, err)
		return c, false
	}
	if !isAdmin {
		rest.WriteError(w, r, http.StatusForbidden, codes.PermissionDenied,
			c.String()+" is not an IM admin: the configuration API needs the admin role (GOVSTACK_GATEWAY_ADMIN_CLIENTS, or an admin grants it)")
		return c, false
	}
	return c, true
}

// maxBody bounds the JSON bodies of these APIs; a whole IM configuration fits easily.
const maxBody = 1 << 20

// decode reads a JSON body into v, answering 400/413/415 itself when it cannot.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	return rest.DecodeJSON(w, r, maxBody, v)
}

// providerFromPath reads the provider subsystem of the metaservice paths.
func providerFromPath(r *http.Request) imident.Client {
	return imident.Client{Instance: r.PathValue("instanceId"), Class: r.PathValue("memberClass"),
		Member: r.PathValue("memberCode"), Subsystem: r.PathValue("applicationCode")}
}

// parseClientID reads a client id path segment: INSTANCE:CLASS:MEMBER:SUBSYSTEM (X-Road's REST form), or
// INSTANCE/CLASS/MEMBER/SUBSYSTEM with the slashes percent-encoded.
func parseClientID(s string) (imident.Client, error) {
	if strings.Contains(s, ":") && !strings.Contains(s, "/") {
		s = strings.ReplaceAll(s, ":", "/")
	}
	c, err := imident.Parse(s)
	if err != nil {
		return c, apierr.Invalid("INVALID_CLIENT_ID", "client id must be INSTANCE:CLASS:MEMBER:SUBSYSTEM, e.g. GOVSTACK:GOV:70000001:portal")
	}
	return c, nil
}
