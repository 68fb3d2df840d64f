package gateway_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/gateway"
)

// While the message log cannot be written the gateway is not ready and govstack_im_msglog_stalled is 1
// (issue 12 §1); when writing works again both recover, and the records dropped meanwhile are a gap the
// chain itself records, so verify-log shows it. The fault is what REVOKE INSERT on the log's table gives a
// gateway role that does not own it (SQLSTATE 42501): the test's role is a superuser, so a trigger raises it.
func TestStalledMessageLogIsNotReadyAndRecovers(t *testing.T) {
	h := newIMHarness(t, map[string]string{"GOVSTACK_GATEWAY_DEV_MODE": "true", "GOVSTACK_GATEWAY_LOG_QUEUE_SIZE": "4"})
	serveIM(t, h)
	ctx := context.Background()
	readyz := func() response { return do(t, h.gw.Handler(), "GET", "/readyz", "") }

	h.call(t, "GET", "/data/patients/1.0", "", "X-Request-Id", "before")
	waitLogged(t, h, "message_id = 'before'", 1)
	if r := readyz(); r.status != http.StatusOK || stalledGauge(t, h) != 0 {
		t.Fatalf("before the fault: /readyz %d %s, stalled %v", r.status, r.body, stalledGauge(t, h))
	}

	if _, err := h.deps.Pool.Exec(ctx, `
		CREATE FUNCTION refuse_msglog() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'permission denied for table im_msglog_record' USING ERRCODE = 'insufficient_privilege'; END $$;
		CREATE TRIGGER refuse_msglog BEFORE INSERT ON im_msglog_record FOR EACH ROW EXECUTE FUNCTION refuse_msglog()`); err != nil {
		t.Fatal(err)
	}
	// Requests go on (each adds a request and a response record): the writer holds the first batch, retrying;
	// the four places of the queue fill, and the rest are dropped.
	for i := range 12 {
		h.call(t, "GET", "/data/patients/1.0", "", "X-Request-Id", fmt.Sprintf("during-%d", i))
	}
	waitUntil(t, "the gateway not ready while the log cannot be written", func() error {
		r := readyz()
		if r.status != http.StatusServiceUnavailable || !strings.Contains(string(r.body), `"message-log"`) {
			return fmt.Errorf("/readyz %d %s", r.status, r.body)
		}
		if g := stalledGauge(t, h); g != 1 {
			return fmt.Errorf("govstack_im_msglog_stalled %v, want 1", g)
		}
		return nil
	})

	if _, err := h.deps.Pool.Exec(ctx, `DROP TRIGGER refuse_msglog ON im_msglog_record`); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the gateway ready again once the log is written", func() error {
		if r := readyz(); r.status != http.StatusOK {
			return fmt.Errorf("/readyz %d %s", r.status, r.body)
		}
		if g := stalledGauge(t, h); g != 0 {
			return fmt.Errorf("govstack_im_msglog_stalled %v, want 0", g)
		}
		return nil
	})
	h.call(t, "GET", "/data/patients/1.0", "", "X-Request-Id", "after")
	waitLogged(t, h, "message_id = 'after'", 1)

	var report bytes.Buffer
	if err := gateway.VerifyLog(ctx, h.cfg, h.deps.Pool, h.deps.JetStream, &report); err != nil {
		t.Fatalf("verify-log: %v\n%s", err, report.String())
	}
	if !regexp.MustCompile(`OK +message chain .*, \d+ records dropped by the writer`).MatchString(report.String()) {
		t.Errorf("verify-log does not show the gap of the stall:\n%s", report.String())
	}
}

var stalledLine = regexp.MustCompile(`(?m)^govstack_im_msglog_stalled (\S+)$`)

// stalledGauge reads govstack_im_msglog_stalled from the gateway's /metrics.
func stalledGauge(t *testing.T, h *imHarness) float64 {
	t.Helper()
	r := do(t, h.gw.Handler(), "GET", "/metrics", "")
	m := stalledLine.FindSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("/metrics %d has no govstack_im_msglog_stalled", r.status)
	}
	var v float64
	if _, err := fmt.Sscan(string(m[1]), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// waitUntil polls cond until it succeeds or a generous deadline passes (the machine is shared).
func waitUntil(t *testing.T, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := cond()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
