package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestMessagingThroughGateway sends a batch with two bad addresses through the GovStack Messaging API: the
// good ones arrive at a real SMTP server once each, the bad ones are reported, and status counts it all.
func TestMessagingThroughGateway(t *testing.T) {
	s := startStack(t)
	const key = "govstack-dev-messaging-key"
	run := fmt.Sprint(time.Now().UnixNano())
	var recipients []string
	for i := range 20 {
		addr := fmt.Sprintf(`{"email":"person%d-%s@example.org"}`, i, run)
		if i == 3 || i == 11 {
			addr = fmt.Sprintf(`{"email":"not-an-address-%d"}`, i)
		}
		recipients = append(recipients, addr)
	}
	body := `{"senderInfo":{"name":"Tax Board","email":"tax@gov.example.org"},"transactional":true,
		"emailContent":{"title":"Your tax decision","content":"It is ready."},"recipients":[` + strings.Join(recipients, ",") + `]}`

	expect(t, s.do(t, "POST", "/send/email/batch", body, nil), 401, "apiKey")
	r := s.do(t, "POST", "/send/email/batch", body, map[string]string{"apiKey": key})
	expect(t, r, 200, `"accepted":18`, `"index":3`, `"index":11`)
	uid := r.json(t).(map[string]any)["requestUid"].(string)

	for i := range 20 {
		if i == 3 || i == 11 {
			continue
		}
		s.mail.waitFor(t, 1, to(fmt.Sprintf("person%d-%s@example.org", i, run), "Your tax decision"))
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		// The older header spelling (api_key) and requestUid as a header, as the GovStack test suite sends them.
		st := s.do(t, "GET", "/status/email", "", map[string]string{"api_key": key, "requestUid": uid})
		if st.code == 200 && strings.Contains(st.body, `"delivered":18`) {
			expect(t, st, 200, `"notSent":2`)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status never showed 18 delivered: %d %s", st.code, st.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for i := range 20 {
		if n := len(s.mail.find(to(fmt.Sprintf("person%d-%s@example.org", i, run), ""))); n > 1 {
			t.Errorf("recipient %d got %d copies", i, n)
		}
	}
	r = s.do(t, "GET", "/send/email/single", "", map[string]string{"apiKey": key})
	expect(t, r, 405)
	if allow := r.header.Get("Allow"); !strings.Contains(allow, "POST") {
		t.Errorf("405 without Allow: POST (got %q)", allow)
	}
}
