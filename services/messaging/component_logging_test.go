package messaging_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"
	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/messaging"
)

// warnLines are the log lines of message id that say its delivery failed, at warn level, as JSON objects.
func warnLines(t *testing.T, logs *lockedBuffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(logs.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "message delivery failed" && rec["level"] == "WARN" {
			out = append(out, rec)
		}
	}
	return out
}

// TestSMSFailuresAreLoggedWithoutPersonalData: an SMS provider that refuses a message (a 400, final) or fails
// (a 503, retried) is logged at warn level with the message id and the reason — the provider's status — but
// neither the number nor the text, even when the provider quotes them back; its full answer is stored with the
// message, where the sender sees it in the status.
func TestSMSFailuresAreLoggedWithoutPersonalData(t *testing.T) {
	t.Parallel()
	const text = "Mari, your test came back negative"
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		status := http.StatusBadRequest
		if strings.Contains(string(body), "+3725550002") {
			status = http.StatusServiceUnavailable
		}
		http.Error(w, `{"error":"refused","request":`+string(body)+`}`, status) // quotes the number and the text
	}))
	t.Cleanup(provider.Close)
	logs := &lockedBuffer{}
	e := start(t, func(c *messaging.Config, d *messaging.Deps) {
		c.SMSProviderURL = provider.URL
		d.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	})
	resp, err := e.msg.SendSmsBatch(authed(), &messagingv1.SendSmsBatchRequest{
		Recipients: []*messagingv1.SmsRecipientInfo{{Phone: "+3725550001", Name: "Mari"}, {Phone: "+3725550002"}},
		SmsContent: &messagingv1.SmsContent{Text: text}})
	if err != nil || resp.GetAccepted() != 2 {
		t.Fatalf("%v %v", resp, err)
	}
	var ids []string
	testkit.Eventually(t, 10*time.Second, "bounced and dead-lettered", func() error {
		st, err := e.msg.GetSmsStatus(authed(), &messagingv1.GetSmsStatusRequest{RequestUid: resp.GetRequestUid()})
		if err != nil || st.GetBounced() != 1 || st.GetNotSent() != 1 {
			return fmt.Errorf("%v %v", st, err)
		}
		ids = nil
		for _, m := range st.GetMessages() {
			ids = append(ids, m.GetId())
			if !strings.Contains(m.GetError(), text) {
				t.Errorf("the stored error lacks the provider's answer: %q", m.GetError())
			}
		}
		return nil
	})
	lines := warnLines(t, logs)
	outcomes := map[string]map[string]bool{} // message id → outcomes logged
	for _, rec := range lines {
		raw, _ := json.Marshal(rec)
		for _, personal := range []string{"+3725550001", "+3725550002", "3725550001", "negative", "Mari"} {
			if strings.Contains(string(raw), personal) {
				t.Errorf("a log line holds %q: %s", personal, raw)
			}
		}
		id, _ := rec["message_id"].(string)
		if outcomes[id] == nil {
			outcomes[id] = map[string]bool{}
		}
		outcomes[id][fmt.Sprint(rec["outcome"])] = true
		if reason := fmt.Sprint(rec["reason"]); !strings.Contains(reason, "SMS provider answered") {
			t.Errorf("reason %q does not say what failed", reason)
		}
	}
	for _, id := range ids {
		if len(outcomes[id]) == 0 {
			t.Errorf("message %s: no warn line (%d lines: %v)", id, len(lines), outcomes)
		}
	}
	// One message bounced; the other was deferred, then dead-lettered when its attempts ran out.
	var bounced, deferred, dead bool
	for _, o := range outcomes {
		bounced, deferred, dead = bounced || o["bounced"], deferred || o["deferred"], dead || o["deadLetter"]
	}
	if !bounced || !deferred || !dead {
		t.Errorf("outcomes logged: %v", outcomes)
	}
}
