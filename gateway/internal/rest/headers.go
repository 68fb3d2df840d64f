package rest

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/govstackbb/marketplace/platform/download"
	"github.com/govstackbb/marketplace/platform/idempotency"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
)

// httpCodeKey is the response header metadata a BB sets to choose a status other than 200 (e.g. "204" from
// DeleteRecord); it is consumed here and never shown to the HTTP client.
const httpCodeKey = "x-http-code"

// messagingAPIKey is the metadata key the Messaging BB reads its apiKey header from.
const messagingAPIKey = "apikey"

// requestIDKey is the metadata key the request id travels under to the upstream.
const requestIDKey = "x-request-id"

// NormaliseIdentity makes the caller's identity arrive under one header, whichever of the accepted
// spellings (imident.HeaderNames) the caller used. Several spellings naming different clients are refused,
// because it is not clear who is calling. A malformed value is passed on unchanged: the BB decides
// whether the identity is required and answers 400 with the reason.
func NormaliseIdentity(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var value, firstName, firstKey string
		for _, name := range imident.HeaderNames {
			for _, v := range r.Header.Values(name) {
				key := identityKey(v)
				switch {
				case firstName == "":
					value, firstName, firstKey = v, name, key
				case key != firstKey:
					WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument,
						firstName+" and "+name+" name different clients; send the client identity once")
					return
				}
			}
		}
		if firstName == "" {
			next.ServeHTTP(w, r)
			return
		}
		for _, name := range imident.HeaderNames {
			r.Header.Del(name)
		}
		r.Header.Set(imident.HeaderNames[0], value)
		if c, err := imident.Parse(value); err == nil {
			InfoFrom(r.Context()).Client = c.String()
		}
		next.ServeHTTP(w, r)
	})
}

// identityKey compares identities as clients: "EE/GOV/1/app" and " EE/GOV/1/app" are the same caller.
func identityKey(v string) string {
	if c, err := imident.Parse(v); err == nil {
		return c.String()
	}
	return strings.TrimSpace(v)
}

// IncomingHeader is the runtime.HeaderMatcherFunc for requests. It forwards only the identity, the
// request id, the Messaging apiKey and requestUid (grpc-gateway itself forwards an Authorization token).
// grpc-gateway's default would also forward any Grpc-Metadata-* header, which would let a
// caller set metadata the gateway vouches for (such as the identity under another spelling).
func IncomingHeader(key string) (string, bool) {
	if strings.EqualFold(key, RequestIDHeader) {
		return requestIDKey, true
	}
	// The Messaging BB's own API key (GovStack spells the header apiKey; its test suite api_key).
	if strings.EqualFold(key, "apiKey") || strings.EqualFold(key, "api_key") {
		return messagingAPIKey, true
	}
	// A retry-safe mutating call (platform/idempotency); SafeMethodsOnly keeps it off reads.
	if strings.EqualFold(key, IdempotencyKeyHeader) {
		return idempotency.MetadataKey, true
	}
	// Headers a BB's spec defines: Payments' tenant, correlation id and callback URL.
	if k, ok := specHeaderKey(key); ok {
		return k, true
	}
	// GovStack Messaging sends requestUid as a header on its status and callback calls.
	if strings.EqualFold(key, "requestUid") {
		return "requestuid", true
	}
	// An end-user token (Authorization, the Registration BB's) reaches the BB without a match here:
	// grpc-gateway always forwards it as metadata "authorization", and matching it too would send it twice.
	for _, name := range imident.HeaderNames {
		if strings.EqualFold(key, name) {
			return imident.MetadataKey, true
		}
	}
	return "", false
}

// OutgoingHeader is the runtime.HeaderMatcherFunc for response header metadata: x-http-code is ours, and
// content-type is gRPC's own (application/grpc), meaningless to an HTTP client.
func OutgoingHeader(key string) (string, bool) {
	switch strings.ToLower(key) {
	case httpCodeKey, "content-type":
		return "", false
	case "location": // where a created resource lives, e.g. /database/7 after /database/modify
		return "Location", true
	case download.MetadataKey: // the name of a file answered as raw bytes (platform/download)
		return "Content-Disposition", true
	}
	return runtime.MetadataHeaderPrefix + key, true
}

// ForwardHTTPCode is a forward-response option: it writes the status a BB asked for in x-http-code. For 204
// the recorder in Observe drops the body grpc-gateway writes afterwards.
func ForwardHTTPCode(ctx context.Context, w http.ResponseWriter, _ proto.Message) error {
	md, ok := runtime.ServerMetadataFromContext(ctx)
	if !ok {
		return nil
	}
	vals := md.HeaderMD.Get(httpCodeKey)
	if len(vals) == 0 {
		return nil
	}
	code, err := strconv.Atoi(vals[0])
	if err != nil || code < 200 || code > 299 {
		// A success response with an error status would contradict the body; keep 200.
		return nil
	}
	if code == http.StatusNoContent {
		w.Header().Del("Content-Type")
	}
	w.WriteHeader(code)
	return nil
}

// checkedHeaders are the request headers the IM reads or passes on to a BB, with the longest value each may
// have. Those that travel to a BB as gRPC metadata (IncomingHeader) may hold only printable ASCII — grpc-go
// refuses anything else with an internal error, and Go's HTTP server lets bytes above 0x7F through — and
// a BB's gRPC server takes 16 KiB of metadata in all, so each is bounded; the others (the IM's API key, the
// correlation id the message log keeps, the body's type) are held to the same rules. A header that breaks
// them is refused here, by name.
var checkedHeaders = append([]checkedHeader{
	{"Authorization", 8192}, {"apiKey", 1024}, {"api_key", 1024}, {"requestUid", 255}, {IdempotencyKeyHeader, 255},
	{"X-GovStack-Api-Key", 1024}, {CorrelationHeader, 255}, {"Content-Type", 255},
}, append(identityHeaders(), specCheckedHeaders()...)...)

type checkedHeader struct {
	name string
	max  int // bytes
}

func identityHeaders() []checkedHeader {
	var out []checkedHeader
	for _, name := range imident.HeaderNames {
		out = append(out, checkedHeader{name, 1024})
	}
	return out
}

// CorrelationHeader carries a caller's correlation id, which the message log keeps with the request.
const CorrelationHeader = "X-Correlation-Id"

// IdempotencyKeyHeader makes a POST, PUT, PATCH or DELETE safe to retry: the BB keeps the first answer and
// gives it again to a retry with the same key and body (platform/idempotency).
const IdempotencyKeyHeader = "Idempotency-Key"

// idempotentOnly drops Idempotency-Key from reads: a GET is safe to retry already, and keeping its answer
// would replay stale data.
func idempotentOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		default:
			r.Header.Del(IdempotencyKeyHeader)
		}
		next.ServeHTTP(w, r)
	})
}

// CheckHeaders answers 400 naming the header when a checked header holds anything but printable ASCII (a
// NUL, a control character, bytes that are not UTF-8, or non-ASCII text), or is longer than it may be.
func CheckHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, h := range checkedHeaders {
			for _, v := range r.Header.Values(h.name) {
				problem := ""
				switch {
				case !printableASCII(v):
					problem = "may hold only printable ASCII characters"
				case len(v) > h.max:
					problem = fmt.Sprintf("may be at most %d bytes long (got %d)", h.max, len(v))
				default:
					continue
				}
				WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument, "header "+h.name+" "+problem,
					Detail{Type: "fieldViolation", Field: h.name, Description: problem},
					Detail{Type: "errorInfo", Reason: "GOVSTACK_IM_INVALID_HEADER", Domain: "govstack.im"})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			if c != '\t' {
				return false
			}
		}
	}
	return true
}
