package pubsub

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/nats-io/nats.go"
	"google.golang.org/grpc/codes"
)

// call is what every handler starts from: who calls, about which room.
type call struct {
	caller imident.Client
	room   imident.Client
}

// begin reads the caller and the room, answering 401 or 400 itself when it returns ok=false.
func begin(w http.ResponseWriter, r *http.Request) (call, bool) {
	caller, ok := imident.FromContext(r.Context())
	if !ok {
		rest.WriteError(w, r, http.StatusUnauthorized, codes.Unauthenticated,
			"pub/sub needs an authenticated client: send X-GovStack-Client with a matching credential")
		return call{}, false
	}
	room := imident.Client{Instance: r.PathValue("instanceId"), Class: r.PathValue("memberClass"),
		Member: r.PathValue("memberCode"), Subsystem: r.PathValue("applicationCode")}
	for _, s := range []string{room.Instance, room.Class, room.Member, room.Subsystem} {
		if strings.TrimSpace(s) == "" || strings.Contains(s, "/") {
			badRequest(w, r, "the room path /r1/{instanceId}/{memberClass}/{memberCode}/{applicationCode} has an empty or malformed segment")
			return call{}, false
		}
	}
	return call{caller: caller, room: room}, true
}

// allowed asks Authorize and answers 403 with its message when it refuses.
func (b *Broker) allowed(w http.ResponseWriter, r *http.Request, c call, action, eventType string) bool {
	if err := b.opts.Authorize(r.Context(), c.caller, c.room, action, eventType); err != nil {
		rest.WriteError(w, r, http.StatusForbidden, codes.PermissionDenied, err.Error())
		return false
	}
	return true
}

func badRequest(w http.ResponseWriter, r *http.Request, msg string) {
	rest.WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument, msg)
}

func notFound(w http.ResponseWriter, r *http.Request, msg string) {
	rest.WriteError(w, r, http.StatusNotFound, codes.NotFound, msg)
}

func conflict(w http.ResponseWriter, r *http.Request, msg string) {
	rest.WriteError(w, r, http.StatusConflict, codes.AlreadyExists, msg)
}

// internal logs err and answers without its details, which are for operators: 503 (retry) when Postgres or
// NATS is unreachable or timed out, 500 otherwise.
func (b *Broker) internal(w http.ResponseWriter, r *http.Request, what string, err error) {
	b.log.ErrorContext(r.Context(), "pubsub: "+what, "error", err, "request_id", rest.InfoFrom(r.Context()).ID)
	kind := apierr.KindOf(pgstore.MapError(err))
	if kind == apierr.KindUnavailable || kind == apierr.KindDeadlineExceeded ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) || errors.Is(err, nats.ErrNoResponders) {
		w.Header().Set("Retry-After", "5")
		rest.WriteError(w, r, http.StatusServiceUnavailable, codes.Unavailable, "pub/sub is unavailable right now; retry shortly")
		return
	}
	rest.WriteError(w, r, http.StatusInternalServerError, codes.Internal, "internal error")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// readJSON decodes a body of at most limit bytes into v, answering 413 or 400 itself on failure.
func readJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	return rest.DecodeJSON(w, r, limit, v)
}

// clientJSON is the API's spelling of a subsystem (subscriberId, publisherId).
type clientJSON struct {
	InstanceID      string `json:"instanceId"`
	MemberClass     string `json:"memberClass"`
	MemberCode      string `json:"memberCode"`
	ApplicationCode string `json:"applicationCode"`
}

func toClientJSON(c imident.Client) clientJSON {
	return clientJSON{InstanceID: c.Instance, MemberClass: c.Class, MemberCode: c.Member, ApplicationCode: c.Subsystem}
}

func parseClient(s string) clientJSON {
	c, _ := imident.Parse(s) // stored by us from a valid Client
	return toClientJSON(c)
}
