package msglog

import (
	"context"
	"crypto/sha256"
	"hash"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/imident"
	"go.opentelemetry.io/otel/trace"
)

// CorrelationHeader carries a caller's correlation id; without it the request id is the correlation id.
// rest.CheckHeaders refuses one that is not printable ASCII or is longer than 255 bytes.
const CorrelationHeader = rest.CorrelationHeader

// annotation is what the layers inside the middleware learn during the request: the authenticated client,
// the service and the endpoint. It is a pointer in the context so inner layers can fill it in.
type annotation struct {
	mu                        sync.Mutex
	client, service, endpoint string
}

type annotationKey struct{}

func withAnnotation(ctx context.Context) (context.Context, *annotation) {
	a := &annotation{}
	return context.WithValue(ctx, annotationKey{}, a), a
}

// Annotate records which service (INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICECODE) and endpoint (gRPC full
// method) the request reached. The IM's router calls it; outside a logged request it does nothing.
func Annotate(ctx context.Context, service, endpoint string) {
	if a, ok := ctx.Value(annotationKey{}).(*annotation); ok {
		a.mu.Lock()
		a.service, a.endpoint = service, endpoint
		a.mu.Unlock()
	}
}

// AnnotateClient records the authenticated client, for a logging layer mounted outside authentication
// (the gRPC proxy authenticates inside its handler).
func AnnotateClient(ctx context.Context, c imident.Client) {
	if a, ok := ctx.Value(annotationKey{}).(*annotation); ok {
		a.mu.Lock()
		a.client = c.String()
		a.mu.Unlock()
	}
}

func (a *annotation) get() (client, service, endpoint string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.client, a.service, a.endpoint
}

// Middleware logs every request and its response through w: two records sharing the request id. Bodies are
// hashed as they stream (never buffered, unless opts.Bodies keeps them up to opts.MaxBodyBytes). Mount it
// outside authentication, which names the proven caller with AnnotateClient (a refused attempt is logged
// without one), and outside the router that calls Annotate.
func Middleware(w *Writer, opts Options) func(http.Handler) http.Handler {
	opts = opts.withDefaults()
	keep := int64(0)
	if opts.Bodies {
		keep = opts.MaxBodyBytes
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			started := time.Now()
			ctx, ann := withAnnotation(r.Context())
			reqBody := newTap(keep)
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = &tappedBody{ReadCloser: r.Body, tap: reqBody}
			}
			resp := &tappedWriter{ResponseWriter: rw, tap: newTap(keep)}
			next.ServeHTTP(resp, r.WithContext(ctx))
			req, res := exchange(ctx, r, ann, started)
			reqBody.fill(&req)
			resp.tap.fill(&res)
			res.Status = resp.statusOrOK()
			w.Append(req)
			w.Append(res)
		})
	}
}

// exchange builds the request and response records' shared fields once the response is done.
func exchange(ctx context.Context, r *http.Request, ann *annotation, started time.Time) (req, res Record) {
	info := rest.InfoFrom(ctx)
	client, service, endpoint := ann.get()
	if c, ok := imident.FromContext(ctx); ok && client == "" {
		client = c.String()
	}
	if service == "" {
		service = info.Service
	}
	if endpoint == "" {
		endpoint = info.Endpoint
	}
	if endpoint == "" && info.Route != "" {
		endpoint = r.Method + " " + info.Route
	}
	id := requestIDOrNew(ctx)
	corr := r.Header.Get(CorrelationHeader)
	if corr == "" {
		corr = id
	}
	req = Record{
		MessageID: id, Direction: Request, Client: client, Service: service, Endpoint: endpoint,
		Method: r.Method, Path: r.URL.Path, Started: started, Finished: time.Now(),
		TraceID: traceID(ctx), CorrID: corr,
	}
	res = req
	res.Direction = Response
	return req, res
}

func requestIDOrNew(ctx context.Context) string {
	if id := rest.InfoFrom(ctx).ID; id != "" {
		return id
	}
	return uuid.NewString()
}

func traceID(ctx context.Context) string {
	if sc := trace.SpanContextFromContext(ctx); sc.HasTraceID() {
		return sc.TraceID().String()
	}
	return ""
}

// tap hashes and counts a body as it streams and keeps its first bytes when bodies are logged.
type tap struct {
	h    hash.Hash
	n    int64
	keep int64
	body []byte
}

func newTap(keep int64) *tap { return &tap{h: sha256.New(), keep: keep} }

func (t *tap) write(p []byte) {
	t.h.Write(p)
	t.n += int64(len(p))
	if room := t.keep - int64(len(t.body)); room > 0 {
		t.body = append(t.body, p[:min(int64(len(p)), room)]...)
	}
}

func (t *tap) fill(r *Record) {
	r.Size, r.Body = t.n, t.body
	if t.n > 0 {
		r.BodySHA = t.h.Sum(nil)
	}
}

type tappedBody struct {
	io.ReadCloser
	tap *tap
}

func (b *tappedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.tap.write(p[:n])
	return n, err
}

type tappedWriter struct {
	http.ResponseWriter
	tap    *tap
	status int
}

func (w *tappedWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *tappedWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.tap.write(p[:n])
	return n, err
}

func (w *tappedWriter) statusOrOK() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// Flush keeps streaming responses streaming.
func (w *tappedWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *tappedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
