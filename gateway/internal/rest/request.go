package rest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

// RequestIDHeader carries the request id in both directions; upstream it travels as metadata x-request-id.
const RequestIDHeader = "X-Request-Id"

// maxRequestIDLen bounds a caller's request id: it is echoed into headers, logs and upstream metadata.
const maxRequestIDLen = 128

// Info is what the middleware layers learn about one request. It lives in the request context as a pointer
// so that inner layers (the REST mux knows the route pattern, the identity layer knows the client) can
// report to the outer layer that logs and counts the request after it is done.
type Info struct {
	ID     string // request id, sane caller value or generated
	Route  string // route pattern for logs and metric labels; never the raw path, which may hold personal data
	Client string // parsed caller identity, empty when absent or malformed

	// Service and Endpoint say which IM service and gRPC method the request reached (Service as
	// "INSTANCE/CLASS/MEMBER/SUBSYSTEM/CODE"); set by the IM's router and rights check, empty otherwise.
	Service, Endpoint string

	bodyLimit    int64 // set by LimitBody, for the 413 message
	bodyTooLarge bool  // set when the body reader hit the limit; turns a decode error into a 413
}

type infoKey struct{}

// InfoFrom returns the request's Info; a fresh one when the request did not pass through Observe (tests).
func InfoFrom(ctx context.Context) *Info {
	if in, ok := ctx.Value(infoKey{}).(*Info); ok {
		return in
	}
	return &Info{}
}

// SetRoute records the route pattern of a handler that is not behind the REST mux (health, docs, metrics).
func SetRoute(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		InfoFrom(r.Context()).Route = route
		h.ServeHTTP(w, r)
	})
}

// requestID keeps a caller's id when it is short and made of safe characters (so it cannot split headers or
// forge log fields) and otherwise makes a new random one.
func requestID(r *http.Request) string {
	if id := r.Header.Get(RequestIDHeader); saneID(id) {
		return id
	}
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

func saneID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':'
		if !ok {
			return false
		}
	}
	return true
}

// recorder captures the status for logs and metrics. It also drops bodies on statuses that must not have
// one: grpc-gateway writes the marshalled message after a forward-response option chose 204.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (rw *recorder) WriteHeader(code int) {
	if rw.status != 0 {
		return // a second WriteHeader is a bug upstream; net/http would log "superfluous" — keep the first
	}
	rw.status = code
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *recorder) Write(b []byte) (int, error) {
	if rw.status == 0 {
		rw.WriteHeader(http.StatusOK)
	}
	if rw.status == http.StatusNoContent || rw.status == http.StatusNotModified {
		return len(b), nil
	}
	n, err := rw.ResponseWriter.Write(b)
	rw.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer (flush, deadlines).
func (rw *recorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

func (rw *recorder) statusOrOK() int {
	if rw.status == 0 {
		return http.StatusOK
	}
	return rw.status
}

func withInfo(ctx context.Context, in *Info) context.Context {
	return context.WithValue(ctx, infoKey{}, in)
}
