package gateway_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/gateway/internal/authn"
)

// serveIM runs the harness's gateway (and with it the message log's writer) until the test ends.
func serveIM(t *testing.T, h *imHarness) {
	t.Helper()
	main, grpcLn := listen(t), listen(t) // closed after Serve stops: cleanups run last-registered first
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.gw.Serve(ctx, gateway.Listeners{Main: main, GRPC: grpcLn}) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
}

// waitLogged polls until the message log holds want response records matching where.
func waitLogged(t *testing.T, h *imHarness, where string, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := h.deps.Pool.QueryRow(context.Background(),
			`SELECT count(*) FROM im_msglog_record WHERE direction = 'response' AND `+where).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the message log holds %d records where %s, want %d", n, where, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// One request with a NUL in its path used to stop the message log for good (issue 12); the 100 calls
// after it must all be on record.
func TestNULPathDoesNotStopTheLog(t *testing.T) {
	h := newIMHarness(t, nil)
	serveIM(t, h)
	key := h.key(t, consumer)
	if r := do(t, h.gw.Handler(), "GET", "/%00", "", "X-Request-Id", "nul-path"); r.status != http.StatusNotFound {
		t.Fatalf("GET /%%00: %d", r.status)
	}
	for i := range 100 {
		do(t, h.gw.Handler(), "GET", "/databases", "", authn.APIKeyHeader, key, "X-Request-Id", "after-"+itoa(i))
	}
	waitLogged(t, h, "message_id = 'nul-path'", 1)
	waitLogged(t, h, "message_id LIKE 'after-%'", 100)
	var report bytes.Buffer
	if err := gateway.VerifyLog(context.Background(), h.cfg, h.deps.Pool, h.deps.JetStream, &report); err != nil {
		t.Fatalf("verify-log: %v\n%s", err, report.String())
	}
}

// A burst of wrong API keys from one address is cut off with 429 after the failure budget, before the keys
// are looked up, and every attempt — refused as 401 or as 429 — is in the message log (issue 12).
func TestWrongKeyBurstIsLimitedAndLogged(t *testing.T) {
	h := newIMHarness(t, map[string]string{"GOVSTACK_GATEWAY_AUTH_FAILURE_LIMIT": "0.1", "GOVSTACK_GATEWAY_AUTH_FAILURE_BURST": "5"})
	serveIM(t, h)
	key := h.key(t, consumer) // a real key: after the burst, even it is refused from this address for a while
	statuses := map[int]int{}
	for i := range 40 {
		r := do(t, h.gw.Handler(), "GET", "/databases", "", authn.APIKeyHeader, "gsim_wrong", "X-Request-Id", "guess-"+itoa(i))
		statuses[r.status]++
	}
	if statuses[http.StatusUnauthorized] != 5 || statuses[http.StatusTooManyRequests] != 35 {
		t.Fatalf("statuses %v, want 5 × 401 then 35 × 429", statuses)
	}
	r := do(t, h.gw.Handler(), "GET", "/databases", "", authn.APIKeyHeader, key)
	wantError(t, r, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED")
	if r.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}

	// Every attempt is on record, with its status.
	waitLogged(t, h, "status = 401 AND message_id LIKE 'guess-%'", 5)
	waitLogged(t, h, "status = 429 AND message_id LIKE 'guess-%'", 35)
}

func itoa(i int) string { return string(rune('a'+i/26)) + string(rune('a'+i%26)) }
