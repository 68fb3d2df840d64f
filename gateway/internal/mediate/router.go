package mediate

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/imident"
	"google.golang.org/grpc/codes"
)

// RoutePattern is where Router is mounted. Literal segments after the four identity segments (the
// directory's listMethods, the pub/sub api/pub/pull) are more specific patterns and win over it.
const RoutePattern = "/r1/{instanceId}/{memberClass}/{memberCode}/{applicationCode}/{serviceCode}/{rest...}"

// routePrefixSegments is how many escaped path segments RoutePattern consumes before {rest...}.
const routePrefixSegments = 6

// Router serves X-Road style addresses: it resolves the provider's service, then hands the request to next
// (the REST mux of every BB) with the path that follows the service code, and the service in the context
// so the rights check and the message log know where the call goes.
func Router(services Services, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest.InfoFrom(r.Context()).Route = "/r1/{provider}/{serviceCode}/..."
		provider := imident.Client{Instance: r.PathValue("instanceId"), Class: r.PathValue("memberClass"),
			Member: r.PathValue("memberCode"), Subsystem: r.PathValue("applicationCode")}
		code := r.PathValue("serviceCode")
		s, err := services.Service(r.Context(), provider, code)
		switch {
		case errors.Is(err, ErrUnknownService):
			rest.WriteError(w, r, http.StatusNotFound, codes.NotFound,
				"no service "+code+" is registered for provider "+provider.String()+"; GET /listClients and …/listMethods show what exists")
			return
		case err != nil:
			rest.WriteError(w, r, http.StatusServiceUnavailable, codes.Unavailable, "the IM service registry is unavailable; retry shortly")
			return
		case !s.Enabled:
			rest.WriteError(w, r, http.StatusServiceUnavailable, codes.Unavailable,
				"service "+s.Key()+" is disabled by its provider")
			return
		}
		inner, err := stripPrefix(r)
		if err != nil {
			rest.WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument, err.Error())
			return
		}
		rest.InfoFrom(r.Context()).Service = s.Key()
		next.ServeHTTP(w, inner.WithContext(WithTarget(inner.Context(), s)))
	})
}

// stripPrefix returns r with the path that follows /r1/{provider}/{serviceCode}, keeping its escaping
// (an encoded "/" inside a record id must stay one segment).
func stripPrefix(r *http.Request) (*http.Request, error) {
	segs := strings.SplitN(r.URL.EscapedPath(), "/", routePrefixSegments+2) // "" r1 i c m s code rest
	escaped := "/"
	if len(segs) == routePrefixSegments+2 {
		escaped += segs[routePrefixSegments+1]
	}
	path, err := url.PathUnescape(escaped)
	if err != nil {
		return nil, errors.New("the path is not correctly percent-encoded")
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path, r2.URL.RawPath = path, ""
	if path != escaped {
		r2.URL.RawPath = escaped
	}
	r2.RequestURI = r2.URL.RequestURI()
	return r2, nil
}
