// Package idempotency makes every mutating call of every building block safe to retry (issue 12): a client
// that sends an Idempotency-Key with a create, an update or a delete — because the first answer was lost to
// a time-out, a restart, a broken connection — gets the first answer again, and the work is done once.
//
// The gateway forwards the header of POST, PUT, PATCH and DELETE requests as the metadata idempotency-key;
// each BB's gRPC server runs Interceptor (platform/bbcmd and internal/devstack add it), which keeps the
// answers in the BB's own database (Migrations) for Options.Retention:
//
//   - the same key with the same request replays the first answer (message, status and response headers);
//   - the same key with a different request is 409 ALREADY_EXISTS, saying so;
//   - while the first request is still being worked on, a retry is 409 ABORTED with a Retry-After;
//   - answers that mean "try again" (unavailable, internal, deadline, cancelled, aborted, rate limited) are
//     not kept, so a retry does the work — unless the work committed after all: the BB's transaction marks
//     the key 'applied' as it commits (a pgstore.TxHook), so a retry never does committed work twice. When
//     the database goes away before the answer is kept, the keeper keeps trying in the background until the
//     claim's lease ends; a retry that finds the work applied and no answer is told so (409
//     IDEMPOTENT_ANSWER_LOST), distinct from someone else's conflicting record.
//
// A key belongs to the IM client that sent it, and to the signed-in person when there is one.
package idempotency

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/usertoken"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the table of kept answers; every BB applies it with its own.
var Migrations = pgstore.MigrationSet{Name: "idempotency", FS: migrationFiles, Dir: "migrations"}

// MetadataKey is the gRPC metadata the gateway forwards the Idempotency-Key header as.
const MetadataKey = "idempotency-key"

// maxKeyLen bounds a key: a UUID is 36 characters, and the key is part of the primary key.
const maxKeyLen = 255

// Defaults for Options left zero.
const (
	DefaultRetention = 24 * time.Hour
	DefaultLease     = time.Minute
)

// Options tune the interceptor.
type Options struct {
	Retention time.Duration // how long answers are kept (DefaultRetention)
	Lease     time.Duration // how long a claim holds before another process may take the work over (DefaultLease)
	Logger    *slog.Logger

	// Key finds the call's key; nil reads the idempotency-key metadata (the Idempotency-Key header). A BB
	// whose spec names another header (Payments' X-CorrelationID) reads it here, per method.
	Key func(ctx context.Context, fullMethod string) (key string, ok bool)
	// Scope says whose key it is; nil is the IM client and the signed-in person. Keys of different scopes
	// never meet (Payments adds the tenant).
	Scope func(ctx context.Context) string
	// InProgress, when set, answers a retry that arrives while the first request is still running, or after
	// it was carried out but before (or without) its answer being recorded: with the current state of what
	// it is doing, sent as 202 Accepted, instead of 409 "retry shortly" (Mojaloop's rule, which Payments
	// follows: a payment client polls, it does not guess).
	InProgress func(ctx context.Context, fullMethod string, req proto.Message) (proto.Message, error)
	// Redact, when set, gives what is kept of an answer (a copy it may change): a secret the first answer
	// shows once — Payments' voucher numbers — is not stored with it, so a replay shows the rest.
	Redact func(fullMethod string, resp proto.Message) proto.Message
}

// Interceptor keeps the answers of calls that carry an Idempotency-Key in pool, for building block bb (the
// name in its error reasons). Mount it after the BB's own authentication: a replay is an answer like any
// other and must be given only to a caller who may have it.
func Interceptor(bb string, pool *pgxpool.Pool, o Options) grpc.UnaryServerInterceptor {
	if o.Retention <= 0 {
		o.Retention = DefaultRetention
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Key == nil {
		o.Key = func(ctx context.Context, _ string) (string, bool) { return keyOf(ctx) }
	}
	if o.Scope == nil {
		o.Scope = scopeOf
	}
	k := &keeper{bb: bb, pool: pool, opts: o}
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		key, ok := o.Key(ctx, info.FullMethod)
		msg, isMsg := req.(proto.Message)
		if !ok || !isMsg {
			return handler(ctx, req)
		}
		// The call is this keeper's: a keeper further in (every BB runs the generic one) must not keep it again.
		ctx = withoutKey(ctx)
		if len(key) > maxKeyLen || !printable(key) {
			return nil, k.refuse(apierr.Invalid("IDEMPOTENCY_KEY_INVALID",
				fmt.Sprintf("Idempotency-Key must be 1 to %d printable ASCII characters, e.g. a UUID", maxKeyLen),
				apierr.FieldViolation{Field: "Idempotency-Key", Description: "must be 1 to 255 printable ASCII characters"}))
		}
		return k.call(ctx, call{scope: o.Scope(ctx), key: key, method: info.FullMethod, req: msg}, handler)
	}
}

type keeper struct {
	bb   string
	pool *pgxpool.Pool
	opts Options
}

// call is one request made with a key.
type call struct {
	scope, key, method string
	req                proto.Message
}

func (k *keeper) refuse(err error) error { return grpcerr.ToStatus(k.bb, err).Err() }

func (k *keeper) call(ctx context.Context, c call, handler grpc.UnaryHandler) (any, error) {
	hash, err := requestHash(c)
	if err != nil {
		return handler(ctx, c.req) // an unmarshalable request cannot be compared; do not keep it
	}
	owned, err := k.claim(ctx, c, hash)
	if err != nil {
		return nil, k.refuse(pgstore.MapError(err))
	}
	if !owned {
		return k.replay(ctx, c, hash)
	}
	tap := &headerTap{ServerTransportStream: grpc.ServerTransportStreamFromContext(ctx)}
	if tap.ServerTransportStream != nil {
		ctx = grpc.NewContextWithServerTransportStream(ctx, tap)
	}
	ctx = pgstore.WithTxHook(ctx, func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE idempotency_key SET state = 'applied' WHERE scope = $1 AND key = $2 AND state = 'running'`,
			c.scope, c.key)
		return err
	})
	resp, herr := handler(ctx, c.req)
	k.keep(ctx, c, resp, herr, tap.headers())
	return resp, herr
}

// requestHash covers the method and the request's deterministic encoding.
func requestHash(c call) ([]byte, error) {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(c.req)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	h.Write([]byte(c.method))
	h.Write([]byte{0})
	h.Write(b)
	return h.Sum(nil), nil
}

// claimTimeout bounds a claim, which no longer ends with the caller's context.
const claimTimeout = 5 * time.Second

// claim takes the key for this call: a new key, or a running claim of the same request whose lease ran out
// (its process died before it answered). It reports whether the call owns the key and must do the work.
//
// The claim runs to its end even when the caller gives up meanwhile: cancelled halfway, the INSERT could
// commit unseen, and every retry would then be told "still being processed" until the lease ran out. The
// handler then sees the cancelled context and fails, and keep gives the key back.
func (k *keeper) claim(ctx context.Context, c call, hash []byte) (bool, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), claimTimeout)
	defer cancel()
	if rand.IntN(64) == 0 {
		k.purge(ctx)
	}
	var owned bool
	err := k.pool.QueryRow(ctx, `
		INSERT INTO idempotency_key (scope, key, method, request_hash, state, lease_until)
		VALUES ($1, $2, $3, $4, 'running', now() + $5::interval)
		ON CONFLICT (scope, key) DO UPDATE SET lease_until = EXCLUDED.lease_until
			WHERE idempotency_key.state = 'running' AND idempotency_key.lease_until < now()
			  AND idempotency_key.request_hash = EXCLUDED.request_hash AND idempotency_key.method = EXCLUDED.method
		RETURNING true`, c.scope, c.key, c.method, hash, k.opts.Lease.String()).Scan(&owned)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return owned, err
}

// purge deletes answers older than the retention, a bounded batch at a time, on the request path: no BB
// needs a job of its own for it.
func (k *keeper) purge(ctx context.Context) {
	_, err := k.pool.Exec(ctx, `DELETE FROM idempotency_key WHERE ctid IN (
		SELECT ctid FROM idempotency_key WHERE created_at < now() - $1::interval LIMIT 1000)`, k.opts.Retention.String())
	if err != nil {
		k.opts.Logger.Warn("idempotency: purge of old answers failed", "bb", k.bb, "error", err)
	}
}

// replay answers a call whose key is taken: with the kept answer, or why there is none to give.
func (k *keeper) replay(ctx context.Context, c call, hash []byte) (any, error) {
	var (
		method, state string
		reqHash       []byte
		resp, stBytes []byte
		headers       map[string][]string
	)
	err := k.pool.QueryRow(ctx, `SELECT method, request_hash, state, response, status, headers
		FROM idempotency_key WHERE scope = $1 AND key = $2`, c.scope, c.key).
		Scan(&method, &reqHash, &state, &resp, &stBytes, &headers)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		// Deleted between our claim and this read (a retryable failure of the first call): try again.
		return nil, k.refuse(retryLater("the first request with this Idempotency-Key has just failed; retry it"))
	case err != nil:
		return nil, k.refuse(pgstore.MapError(err))
	case method != c.method || string(reqHash) != string(hash):
		return nil, k.refuse(apierr.AlreadyExists("IDEMPOTENCY_KEY_REUSED",
			"this Idempotency-Key was already used for a different request; use a new key for a new request"))
	case (state == "running" || state == "applied" && resp == nil && stBytes == nil) && k.opts.InProgress != nil:
		return k.inProgress(ctx, c)
	case state == "running":
		return nil, k.refuse(retryLater("the first request with this Idempotency-Key is still being processed; retry shortly"))
	case state == "applied" && resp == nil && stBytes == nil:
		if k.answerMayCome(ctx, c) {
			return nil, k.refuse(retryLater("the first request with this Idempotency-Key was carried out and its answer is being recorded; retry shortly"))
		}
		return nil, k.refuse(answerLost())
	}
	if len(headers) > 0 {
		_ = grpc.SetHeader(ctx, metadata.MD(headers))
	}
	if stBytes != nil {
		return nil, decodeStatus(stBytes)
	}
	return decodeResponse(c.method, resp)
}

// answerLost is the answer to a retry whose first request did its work but whose answer is gone.
func answerLost() error {
	return apierr.AlreadyExists("IDEMPOTENT_ANSWER_LOST",
		"the request with this Idempotency-Key was carried out, but its answer was lost when the database went away: "+
			"read the result instead of sending it again")
}

func retryLater(msg string) error {
	e := apierr.New(apierr.KindAborted, "IDEMPOTENCY_KEY_IN_USE", msg)
	e.RetryAfter = time.Second
	return e
}

// answerMayCome reports whether the process that applied c's work may still record its answer: its lease
// has not ended.
func (k *keeper) answerMayCome(ctx context.Context, c call) bool {
	var live bool
	err := k.pool.QueryRow(ctx, `SELECT lease_until > now() FROM idempotency_key WHERE scope = $1 AND key = $2`,
		c.scope, c.key).Scan(&live)
	return err != nil || live
}

// keep stores the answer, or gives the key up when the answer means "try again". It runs even when the
// caller has gone (its deadline passed while the work committed): that is the answer a retry must get. When
// the database cannot be reached, it keeps trying in the background until the claim's lease ends, so a
// retry after the database returns gets the answer (or does the work) instead of waiting out the lease.
func (k *keeper) keep(ctx context.Context, c call, resp any, herr error, headers metadata.MD) {
	if err := k.keepOnce(ctx, c, resp, herr, headers); err == nil {
		return
	}
	go func() {
		deadline := time.Now().Add(k.opts.Lease)
		for wait := 100 * time.Millisecond; time.Now().Before(deadline); wait = min(2*wait, 2*time.Second) {
			time.Sleep(wait)
			if err := k.keepOnce(ctx, c, resp, herr, headers); err == nil {
				return
			}
		}
		k.opts.Logger.Warn("idempotency: the answer could not be kept before the claim's lease ended",
			"bb", k.bb, "method", c.method)
	}()
}

func (k *keeper) keepOnce(ctx context.Context, c call, resp any, herr error, headers metadata.MD) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if herr != nil {
		// A handler returns domain errors (apierr); the BB's error interceptor, outside this one, turns them
		// into a status. Map them the same way here, or every refusal would look Unknown — "try again" — and
		// a retry would do refused work again instead of hearing the same refusal.
		herr = grpcerr.ToStatus(k.bb, herr).Err()
	}
	var err error
	if herr != nil && retryable(status.Code(herr)) {
		var tag pgconn.CommandTag
		tag, err = k.pool.Exec(ctx, `DELETE FROM idempotency_key WHERE scope = $1 AND key = $2 AND state = 'running'`, c.scope, c.key)
		if err == nil && tag.RowsAffected() == 0 {
			// The work committed though the handler saw a failure (the commit's acknowledgement was lost):
			// retries must not do it again, and are told at once.
			lost, merr := proto.Marshal(status.Convert(grpcerr.ToStatus(k.bb, answerLost()).Err()).Proto())
			if merr != nil {
				return merr
			}
			_, err = k.pool.Exec(ctx, `UPDATE idempotency_key SET state = 'done', status = $3
				WHERE scope = $1 AND key = $2 AND state = 'applied'`, c.scope, c.key, lost)
		}
	} else {
		var respBytes, stBytes []byte
		if herr != nil {
			stBytes, err = proto.Marshal(status.Convert(herr).Proto())
		} else if m, ok := resp.(proto.Message); ok {
			if k.opts.Redact != nil {
				m = k.opts.Redact(c.method, proto.Clone(m))
			}
			respBytes, err = proto.Marshal(m)
		}
		if err == nil {
			h, _ := json.Marshal(keptHeaders(headers))
			_, err = k.pool.Exec(ctx, `UPDATE idempotency_key SET state = 'done', response = $3, status = $4, headers = $5
				WHERE scope = $1 AND key = $2`, c.scope, c.key, respBytes, stBytes, h)
		}
	}
	if err != nil {
		k.opts.Logger.Warn("idempotency: the answer could not be kept; trying again", "bb", k.bb, "method", c.method, "error", err)
	}
	return err
}

// retryable codes are answers a retry may change: they are not kept.
func retryable(c codes.Code) bool {
	switch c {
	case codes.Unavailable, codes.Internal, codes.Unknown, codes.DeadlineExceeded, codes.Canceled,
		codes.Aborted, codes.ResourceExhausted, codes.DataLoss:
		return true
	}
	return false
}

// keptHeaders are the response headers worth replaying: the HTTP status and location a BB chose.
func keptHeaders(md metadata.MD) map[string][]string {
	out := map[string][]string{}
	for _, k := range []string{"x-http-code", "location"} {
		if v := md.Get(k); len(v) > 0 {
			out[k] = v
		}
	}
	return out
}

func keyOf(ctx context.Context) (string, bool) {
	md, _ := metadata.FromIncomingContext(ctx)
	v := md.Get(MetadataKey)
	if len(v) == 0 || strings.TrimSpace(v[0]) == "" {
		return "", false
	}
	return strings.TrimSpace(v[0]), true
}

// scopeOf is whose key it is: the IM client, and the person when a verified user token came with the call.
func scopeOf(ctx context.Context) string {
	scope := "anonymous"
	if c, present, err := imident.FromIncomingContext(ctx); present && err == nil {
		scope = c.String()
	}
	if claims, ok := usertoken.FromContext(ctx); ok {
		scope += "|" + claims.Subject
	}
	return scope
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return s != ""
}
