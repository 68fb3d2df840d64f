package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// ErrorBody is the one JSON shape of every error the gateway answers (ARCHITECTURE.md §5): upstream gRPC
// errors, unknown routes, wrong methods, oversized or malformed bodies.
type ErrorBody struct {
	Code    string `json:"code"` // gRPC code name in UPPER_SNAKE, e.g. NOT_FOUND
	Message string `json:"message"`
	// Detail repeats Message under the name GovStack's OpenAPI uses for error bodies (e.g. the Digital
	// Registries read 404: {"detail": "no record found"}), so clients written to that spec find it.
	Detail    string   `json:"detail"`
	Details   []Detail `json:"details"` // never null, so clients can range over it without a check
	RequestID string   `json:"requestId"`
}

// Detail is one errdetails message flattened to plain JSON; Type says which fields are set.
type Detail struct {
	Type        string            `json:"type"` // fieldViolation, errorInfo, or the proto name of another detail
	Field       string            `json:"field,omitempty"`
	Description string            `json:"description,omitempty"`
	Reason      string            `json:"reason,omitempty"`
	Domain      string            `json:"domain,omitempty"`
	Metadata    map[string]string `json:"metadata,omitempty"`
}

// codeNames spells codes the way the gRPC and Google API specs do; codes.Code.String() is CamelCase.
var codeNames = map[codes.Code]string{
	codes.OK: "OK", codes.Canceled: "CANCELLED", codes.Unknown: "UNKNOWN",
	codes.InvalidArgument: "INVALID_ARGUMENT", codes.DeadlineExceeded: "DEADLINE_EXCEEDED",
	codes.NotFound: "NOT_FOUND", codes.AlreadyExists: "ALREADY_EXISTS",
	codes.PermissionDenied: "PERMISSION_DENIED", codes.ResourceExhausted: "RESOURCE_EXHAUSTED",
	codes.FailedPrecondition: "FAILED_PRECONDITION", codes.Aborted: "ABORTED", codes.OutOfRange: "OUT_OF_RANGE",
	codes.Unimplemented: "UNIMPLEMENTED", codes.Internal: "INTERNAL", codes.Unavailable: "UNAVAILABLE",
	codes.DataLoss: "DATA_LOSS", codes.Unauthenticated: "UNAUTHENTICATED",
}

// CodeName returns the UPPER_SNAKE name of c.
func CodeName(c codes.Code) string {
	if n, ok := codeNames[c]; ok {
		return n
	}
	return "UNKNOWN"
}

// genericMessages replace the text of errors that did not come from a BB's error vocabulary (no ErrorInfo):
// those are transport errors whose text names internal addresses and dial failures.
var genericMessages = map[codes.Code]string{
	codes.Canceled:         "the request was cancelled",
	codes.Unknown:          "internal error",
	codes.Internal:         "internal error",
	codes.DataLoss:         "internal error",
	codes.Unavailable:      "the building block is not available; try again later",
	codes.DeadlineExceeded: "the building block did not answer in time",
}

// statusNames label the statuses no gRPC code maps to, so that an error's code always agrees with its
// status (ADR 0004): a 405 is METHOD_NOT_ALLOWED, not UNIMPLEMENTED.
var statusNames = map[int]string{
	http.StatusMethodNotAllowed:      "METHOD_NOT_ALLOWED",
	http.StatusNotAcceptable:         "NOT_ACCEPTABLE",
	http.StatusRequestEntityTooLarge: "PAYLOAD_TOO_LARGE",
	http.StatusUnsupportedMediaType:  "UNSUPPORTED_MEDIA_TYPE",
}

// codeLabel is the code of an error answered with httpStatus: the gRPC code's name when the code maps to
// that status, otherwise the status's own name.
func codeLabel(httpStatus int, code codes.Code) string {
	if runtime.HTTPStatusFromCode(code) == httpStatus {
		return CodeName(code)
	}
	if n, ok := statusNames[httpStatus]; ok {
		return n
	}
	if http.StatusText(httpStatus) == "" {
		// A status only a BB's spec defines (Payments 1.0's 452–464) has no name of its own: the code's is kept.
		return CodeName(code)
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z':
			return r
		case r == ' ' || r == '-':
			return '_'
		}
		return -1
	}, http.StatusText(httpStatus))
}

// WriteError answers with the gateway's JSON error body and the given HTTP status; the body's code is the
// gRPC code's name, or the status's when the code does not map to it (codeLabel).
func WriteError(w http.ResponseWriter, r *http.Request, httpStatus int, code codes.Code, msg string, details ...Detail) {
	writeErrorBody(w, r, httpStatus, codeLabel(httpStatus, code), msg, details)
}

func writeErrorBody(w http.ResponseWriter, r *http.Request, httpStatus int, label, msg string, details []Detail) {
	if details == nil {
		details = []Detail{}
	}
	body, err := json.Marshal(ErrorBody{
		Code: label, Message: msg, Detail: msg, Details: details, RequestID: InfoFrom(r.Context()).ID,
	})
	if err != nil { // cannot happen for these plain types; keep the contract anyway
		body = []byte(`{"code":"INTERNAL","message":"internal error","detail":"internal error","details":[]}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Del("Content-Length") // grpc-gateway may have set it for a body we are not sending
	if (httpStatus == http.StatusServiceUnavailable || httpStatus == http.StatusTooManyRequests) && h.Get("Retry-After") == "" {
		// Every "try again" answer says when: a second, unless the cause gave its own (RetryInfo).
		SetRetryAfter(w, time.Second)
	}
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(httpStatus)
	_, _ = w.Write(body)
}

// ErrorHandler is the runtime.ErrorHandlerFunc for every error of an RPC: the status code decides the
// HTTP status, errdetails become Details, and a RetryInfo becomes the Retry-After header.
func ErrorHandler(log *slog.Logger) runtime.ErrorHandlerFunc {
	return func(ctx context.Context, _ *runtime.ServeMux, _ runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
		info := InfoFrom(r.Context())
		if info.bodyTooLarge {
			// The generated decoder reports the limit as InvalidArgument("%v"), losing the error type.
			writeTooLarge(w, r, info.bodyLimit)
			return
		}
		httpStatus := 0
		var hse *runtime.HTTPStatusError
		if errors.As(err, &hse) {
			httpStatus, err = hse.HTTPStatus, hse.Err
		}
		st := status.Convert(err)
		if httpStatus == 0 {
			httpStatus = runtime.HTTPStatusFromCode(st.Code())
		}
		if d, ok := retryDelay(st.Details()); ok {
			SetRetryAfter(w, d)
		}
		details, fromBB := convertDetails(st.Details())
		if s, ok := specStatus(details); ok {
			httpStatus = s
		}
		msg := st.Message()
		if st.Code() == codes.InvalidArgument && !fromBB && strings.HasPrefix(msg, "proto:") {
			// A decoder's own words reached us past the check middleware: never show them (issue 11).
			log.LogAttrs(ctx, slog.LevelWarn, "request decoding failed after the checks passed",
				slog.String("error", msg), slog.String("route", info.Route), slog.String("request_id", info.ID))
			msg = "the request could not be read; compare its fields with the API description at /docs"
		}
		if generic, ok := genericMessages[st.Code()]; ok && !fromBB {
			log.LogAttrs(ctx, slog.LevelWarn, "upstream call failed",
				slog.String("code", CodeName(st.Code())), slog.String("error", msg),
				slog.String("route", info.Route), slog.String("request_id", info.ID))
			msg = generic
		}
		WriteError(w, r, httpStatus, st.Code(), msg, details...)
	}
}

// specStatus is the 4xx a BB's GovStack spec prescribes for an error (apierr.Error.HTTPStatus), carried in
// its ErrorInfo metadata; Messaging's 405 "Invalid input" is one.
func specStatus(details []Detail) (int, bool) {
	for _, d := range details {
		if d.Type != "errorInfo" {
			continue
		}
		if s, err := strconv.Atoi(d.Metadata[grpcerr.HTTPStatusKey]); err == nil && s >= 400 && s <= 499 {
			return s, true
		}
	}
	return 0, false
}

// convertDetails flattens errdetails; fromBB reports an ErrorInfo, the mark of an error a BB meant to send.
func convertDetails(in []any) (out []Detail, fromBB bool) {
	out = []Detail{}
	for _, d := range in {
		switch d := d.(type) {
		case *errdetails.BadRequest:
			for _, v := range d.GetFieldViolations() {
				out = append(out, Detail{Type: "fieldViolation", Field: v.GetField(), Description: v.GetDescription(), Reason: v.GetReason()})
			}
		case *errdetails.ErrorInfo:
			fromBB = true
			out = append(out, Detail{Type: "errorInfo", Reason: d.GetReason(), Domain: d.GetDomain(), Metadata: d.GetMetadata()})
		case proto.Message:
			// Name the type but do not copy fields we have not reviewed for what they may reveal.
			out = append(out, Detail{Type: string(d.ProtoReflect().Descriptor().FullName())})
		}
		// Anything else is an error decoding an Any; nothing a client can use.
	}
	return out, fromBB
}

// RoutingErrorHandler answers requests the REST mux has no handler for: 404 for unknown paths, 405 with an
// Allow header when the path exists for other methods, 400 for malformed paths.
func RoutingErrorHandler(ctx context.Context, mux *runtime.ServeMux, _ runtime.Marshaler, w http.ResponseWriter, r *http.Request, httpStatus int) {
	if isProbe(r.Context()) {
		return // an Allow probe that matched nothing for this method; see allow.go
	}
	switch httpStatus {
	case http.StatusNotFound:
		WriteError(w, r, http.StatusNotFound, codes.NotFound, "no API at this path; the API is described at /docs")
	case http.StatusMethodNotAllowed:
		allowed := allowedMethods(mux, r)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		WriteError(w, r, http.StatusMethodNotAllowed, codes.Unimplemented, // labelled METHOD_NOT_ALLOWED
			fmt.Sprintf("method %s is not allowed on this path; use %s", r.Method, strings.Join(allowed, " or ")))
	case http.StatusBadRequest:
		WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument, "malformed request path")
	default:
		WriteError(w, r, http.StatusInternalServerError, codes.Internal, "internal error")
	}
}
