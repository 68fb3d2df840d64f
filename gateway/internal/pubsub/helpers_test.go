package pubsub_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/pubsub"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
)

// Identities of the tests: the room hosts the event types and manages them; subsystems whose name starts
// with "denied" are refused everything by testAuthorize.
const (
	roomPath   = "/r1/GOV/GOV/MOH/births"
	manager    = "GOV/GOV/MOH/births"
	publisher  = "GOV/GOV/MOH/hospital"
	subscriber = "GOV/GOV/POL/police"
	other      = "GOV/GOV/TAX/revenue"
	denied     = "GOV/GOV/XXX/denied"
)

// birthSchema is the API's example schema.
const birthSchema = `{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
	"properties": {"dateTime": {"type": "string"}, "gender": {"type": "string", "enum": ["M", "F"]},
		"mother": {"type": "string"}, "place": {"type": "string"}},
	"required": ["dateTime", "gender", "mother", "place"]}`

const birth = `{"dateTime": "2023-05-01T11:25:00+02:00", "gender": "M", "mother": "Jane Doe", "place": "City Hospital"}`

// testAuthorize allows managing only to the room itself and refuses everything to "denied*" subsystems.
func testAuthorize(_ context.Context, caller, room imident.Client, action, _ string) error {
	if strings.HasPrefix(caller.Subsystem, "denied") {
		return errors.New(caller.String() + " has no right to " + action + " here")
	}
	if action == pubsub.ActionManage && caller != room {
		return errors.New("only the room's owner manages its event types")
	}
	return nil
}

type env struct {
	t    *testing.T
	url  string
	pool *pgxpool.Pool
	js   jetstream.JetStream
	opts pubsub.Options
	stop func() // stops the first Broker's deliveries
	// revoked holds clients whose rights were withdrawn after they subscribed.
	revoked sync.Map
}

// authenticate stands in for the gateway's authentication middleware: it trusts the header.
func authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, ok, err := imident.FromHTTP(r.Header); ok && err == nil {
			r = r.WithContext(imident.NewContext(r.Context(), c))
		}
		next.ServeHTTP(w, r)
	})
}

func testOptions(pool *pgxpool.Pool, js jetstream.JetStream) pubsub.Options {
	return pubsub.Options{
		Pool: pool, JetStream: js, Authorize: testAuthorize,
		Logger:          testLogger(),
		PushTimeout:     2 * time.Second,
		PushBackoff:     pubsub.Backoff{Initial: 50 * time.Millisecond, Max: 200 * time.Millisecond, Multiplier: 2},
		MaxPushAttempts: 3,
		PullAckWait:     time.Second,
		ResyncInterval:  200 * time.Millisecond,
	}
}

// start runs a Broker (with mod applied to its options) behind an httptest server.
func start(t *testing.T, mod func(*pubsub.Options)) *env {
	t.Helper()
	pool := pgtest.NewPool(t, pubsub.Migrations())
	_, js := natstest.Start(t)
	e := &env{t: t, pool: pool, js: js, opts: testOptions(pool, js)}
	e.opts.Authorize = func(ctx context.Context, caller, room imident.Client, action, eventType string) error {
		if _, ok := e.revoked.Load(caller.String()); ok {
			return errors.New(caller.String() + " lost its right to " + action)
		}
		return testAuthorize(ctx, caller, room, action, eventType)
	}
	if mod != nil {
		mod(&e.opts)
	}
	e.url, e.stop = e.serveStoppable(e.opts)
	return e
}

// serve starts a Broker on opts (a "gateway replica") and returns its base URL; it stops with the test.
func (e *env) serve(opts pubsub.Options) string {
	url, _ := e.serveStoppable(opts)
	return url
}

// serveStoppable is serve that also returns a function stopping the Broker's Run (its deliveries) while its
// HTTP API keeps answering, as a crashed delivery loop would leave it.
func (e *env) serveStoppable(opts pubsub.Options) (string, func()) {
	t := e.t
	b, err := pubsub.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	b.Register(mux)
	srv := httptest.NewServer(authenticate(mux))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(func() {
		srv.Close()
		stop()
	})
	return srv.URL, stop
}

// do calls the API as client ("" = anonymous) and returns the status and body.
func (e *env) do(method, path, client, body string) (int, []byte) {
	return e.doAt(e.url, method, path, client, body)
}

func (e *env) doAt(base, method, path, client, body string) (int, []byte) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if client != "" {
		req.Header.Set("X-GovStack-Client", client)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// must calls the API and fails the test unless the status is want.
func (e *env) must(want int, method, path, client, body string) []byte {
	e.t.Helper()
	got, out := e.do(method, path, client, body)
	if got != want {
		e.t.Fatalf("%s %s as %q: status %d, want %d: %s", method, path, client, got, want, out)
	}
	return out
}

func (e *env) createBirthType() {
	e.t.Helper()
	e.must(http.StatusOK, "POST", roomPath+"/api/v1/eventType", manager,
		`{"eventType": "newBirth", "schema": `+birthSchema+`}`)
}

// publish publishes a birth event and returns its id.
func (e *env) publish(event string) string {
	e.t.Helper()
	out := e.must(http.StatusCreated, "POST", roomPath+"/pub/v1/newBirth", publisher,
		`{"eventType": "newBirth", "event": `+event+`}`)
	var res struct{ ID string }
	decode(e.t, out, &res)
	return res.ID
}

type statusView struct {
	ID         string
	Sequence   uint64
	Cancelled  bool
	Event      json.RawMessage
	Deliveries []struct {
		SubscriptionID string
		Delivery       string
		Status         string
		Attempts       int
		LastStatusCode *int
		LastError      *string
	}
}

func (e *env) status(id string) statusView {
	e.t.Helper()
	var v statusView
	decode(e.t, e.must(http.StatusOK, "GET", roomPath+"/pub/v1/newBirth/"+id, publisher, ""), &v)
	return v
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

// eventually polls cond until it holds or the deadline passes; generous for a slow shared machine.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// receiver is a push subscriber's endpoint answering with the codes in order, then with the last one.
type receiver struct {
	srv    *httptest.Server
	bodies chan []byte
	codes  []int
	calls  chan time.Time
}

func newReceiver(t *testing.T, codes ...int) *receiver {
	rc := &receiver{bodies: make(chan []byte, 100), calls: make(chan time.Time, 100), codes: codes}
	var mu sync.Mutex
	n := 0
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		code := rc.codes[min(n, len(rc.codes)-1)]
		n++
		mu.Unlock()
		rc.calls <- time.Now()
		if code/100 == 2 {
			rc.bodies <- body
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) subscribe(e *env, client string) {
	e.t.Helper()
	e.must(http.StatusOK, "POST", roomPath+"/api/v1/subs/newBirth", client,
		`{"eventType": "newBirth", "delivery": "PUSH", "endpoint": "`+rc.srv.URL+`/events"}`)
}

// next waits for the next successfully pushed body.
func (rc *receiver) next(t *testing.T) []byte {
	t.Helper()
	select {
	case b := <-rc.bodies:
		return b
	case <-time.After(20 * time.Second):
		t.Fatal("no event was pushed")
		return nil
	}
}

// testLogger discards logs unless PUBSUB_TEST_LOG is set, for debugging a failure.
func testLogger() *slog.Logger {
	if os.Getenv("PUBSUB_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
