// Package rest is the gateway's REST front: a grpc-gateway mux with one JSON error format, older path
// spellings, identity header normalisation, body and time limits, and request logging and metrics.
package rest

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
)

// queryParserOnce installs the gateway's query parser. grpc-gateway keeps it in a package variable that its
// option writes whenever a mux is built with it and every request reads; written once, inside the Once (the
// option ignores its mux), two gateways built in one process — the tests' parallel stacks — do not race.
var queryParserOnce sync.Once

// NewServeMux returns a grpc-gateway mux configured the gateway's way; register the BB handlers on it.
func NewServeMux(log *slog.Logger) *runtime.ServeMux {
	opts := []runtime.ServeMuxOption{
		// HTTPBodyMarshaler: a google.api.HttpBody response (a document download) is sent as its own bytes and
		// content type; every other message as JSON.
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.HTTPBodyMarshaler{Marshaler: newStableJSON()}),
		runtime.WithMarshalerOption(MIMEForm, newFormBody()),
		runtime.WithErrorHandler(ErrorHandler(log)),
		runtime.WithRoutingErrorHandler(RoutingErrorHandler),
		runtime.WithIncomingHeaderMatcher(IncomingHeader),
		runtime.WithOutgoingHeaderMatcher(OutgoingHeader),
		runtime.WithForwardResponseOption(ForwardHTTPCode),
		runtime.WithMiddlewares(routeMiddleware, checkRequest),
		// The API is JSON. Form-encoded POSTs falling back to GET routes (and X-HTTP-Method-Override) would
		// make one endpoint answer under methods the OpenAPI does not list.
		runtime.WithDisablePathLengthFallback(),
	}
	queryParserOnce.Do(func() { runtime.SetQueryParameterParser(queryParser{})(nil) })
	return runtime.NewServeMux(opts...)
}

// Limits bound one REST request.
type Limits struct {
	Body    int64         // largest body (413 beyond)
	Upload  int64         // largest multipart/form-data body of a document upload (413 beyond)
	Timeout time.Duration // the upstream call's deadline (504 when it passes)
	// Bulk is the largest body on BulkRoutes ("POST /path" after alias rewriting), the routes whose one body
	// is a whole batch; 0 leaves them at Body.
	Bulk       int64
	BulkRoutes map[string]bool
}

// Handler wraps a REST mux with the layers every REST request passes, outermost first: alias rewriting,
// body and time limits, then multipart and XML uploads turned into JSON. Observe, NormaliseIdentity and
// authentication go around the whole gateway.
func Handler(mux *runtime.ServeMux, l Limits) http.Handler {
	return RewriteAliases(Limit(l, Multipart(XMLUpload(idempotentOnly(mux)))))
}

// GetOnly answers 405 in the gateway's error format for anything but GET and HEAD; used for the gateway's
// own read-only endpoints (health, docs, metrics), which live outside the REST mux.
func GetOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			WriteError(w, r, http.StatusMethodNotAllowed, codes.Unimplemented,
				"method "+r.Method+" is not allowed on this path; use GET")
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Mux is where the IM's own APIs mount their routes: an *http.ServeMux, or a test's recorder of the patterns
// (the test that holds the IM's OpenAPI document to the routes really served).
type Mux interface {
	Handle(pattern string, handler http.Handler)
}
