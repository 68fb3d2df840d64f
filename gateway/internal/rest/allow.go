package rest

import (
	"context"
	"net/http"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
)

// grpc-gateway's ServeMux answers 405 when the path matches a route of another method, but its routing
// error handler is told only the status, not which methods would match, and the routes' patterns are
// unexported in the generated code. So the Allow header is found by asking the mux itself: the 405 handler
// replays the request once per method with a probe in the context, and routeMiddleware (which runs only
// after the mux has matched a route) records the match and stops before anything reaches an upstream.

// probeMethods are the methods the generated REST routes use.
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

type probeKey struct{}

type probe struct{ matched bool }

func isProbe(ctx context.Context) bool {
	_, ok := ctx.Value(probeKey{}).(*probe)
	return ok
}

// allowedMethods lists the methods the mux has a route for at r's path.
func allowedMethods(mux *runtime.ServeMux, r *http.Request) []string {
	var allowed []string
	for _, m := range probeMethods {
		p := &probe{}
		pr := r.Clone(context.WithValue(r.Context(), probeKey{}, p))
		pr.Method = m
		pr.Body, pr.ContentLength = http.NoBody, 0
		// No headers: a form content type or X-HTTP-Method-Override would make the mux try method fallbacks.
		pr.Header = http.Header{}
		mux.ServeHTTP(discardWriter{}, pr)
		if p.matched {
			allowed = append(allowed, m)
		}
	}
	return allowed
}

// routeMiddleware runs for every request the REST mux matched. It ends Allow probes and records the route
// pattern for logs and metrics.
func routeMiddleware(next runtime.HandlerFunc) runtime.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
		if p, ok := r.Context().Value(probeKey{}).(*probe); ok {
			p.matched = true
			return
		}
		if pat, ok := runtime.HTTPPattern(r.Context()); ok {
			// Pattern.String spells variables {name=*}; the docs and OpenAPI spell them {name}.
			InfoFrom(r.Context()).Route = strings.ReplaceAll(pat.String(), "=*}", "}")
		}
		next(w, r, params)
	}
}

type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}
