package messaging_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"
	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/messaging"
)

// TestBatchExactlyOnceAcrossDispatcherStop is the "done means": a batch of 1,000 e-mails with a few
// bad addresses is accepted through the real gRPC API; the dispatcher is stopped halfway (with sends in
// flight at the SMTP server) and a new one started; every good message arrives exactly once at the real
// SMTP server (counted per Message-ID), the bad ones are reported, and the status call shows it all.
func TestBatchExactlyOnceAcrossDispatcherStop(t *testing.T) {
	e := start(t, nil)
	bad := map[int]string{7: "not-an-address", 250: "two@@example.org", 500: "", 777: "Name <x@example.org>", 999: "nodot@example"}
	var emails []string
	for i := range 1000 {
		if b, ok := bad[i]; ok {
			emails = append(emails, b)
			continue
		}
		emails = append(emails, fmt.Sprintf("citizen%04d@example.org", i))
	}
	held := e.sink.hold(400) // after 400 deliveries the SMTP server holds the next sends before "250 OK"
	resp, err := e.msg.SendEmailBatch(authed(), &messagingv1.SendEmailBatchRequest{
		SenderInfo:    &messagingv1.SenderInfo{Name: "Tax Board", Email: "tax@gov.example.org"},
		RecipientInfo: &messagingv1.BatchRecipientInfo{BatchEmailAsBase64: b64Recipients(t, emails)},
		EmailContent:  content("Your tax decision")})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetAccepted() != 995 || len(resp.GetRejected()) != 5 || resp.GetRequestUid() == "" {
		t.Fatalf("accepted %d, rejected %v", resp.GetAccepted(), resp.GetRejected())
	}
	for _, r := range resp.GetRejected() {
		if _, ok := bad[int(r.GetIndex())]; !ok || r.GetReason() == "" || r.GetField() != "recipientInfo.email" {
			t.Errorf("unexpected rejection %v", r)
		}
	}

	select { // the dispatcher is now mid-batch with sends in flight
	case <-held:
	case <-time.After(15 * time.Second):
		t.Fatal("the dispatcher never reached the held sends")
	}
	stopped := make(chan struct{})
	go func() { e.stop(); close(stopped) }() // cancel Service.Run: no new sends start
	time.Sleep(50 * time.Millisecond)        // let the cancellation land before the held sends complete (not synchronisation)
	e.sink.open()
	<-stopped
	mid, dup := e.sink.counts()
	if mid >= 995 || mid < 400 || len(dup) > 0 {
		t.Fatalf("after the stop: %d delivered (want 400..994), duplicates %v", mid, dup)
	}
	st := e.status(resp.GetRequestUid())
	if st.GetDelivered() != int32(mid) || st.GetProcessing() != 0 || st.GetNotSent() != 5 {
		t.Fatalf("status after the stop: %+v, sink has %d", st, mid)
	}

	e.restart()
	testkit.Eventually(t, 15*time.Second, "all delivered", func() error {
		if st := e.status(resp.GetRequestUid()); st.GetDelivered() != 995 {
			return fmt.Errorf("delivered %d, scheduled %d, processing %d", st.GetDelivered(), st.GetScheduled(), st.GetProcessing())
		}
		return nil
	})
	n, dup := e.sink.counts()
	if n != 995 || len(dup) > 0 {
		t.Fatalf("sink: %d distinct Message-IDs (want 995), duplicates %v", n, dup)
	}
	st = e.status(resp.GetRequestUid())
	if st.GetNotSent() != 5 || st.GetScheduled()+st.GetProcessing()+st.GetDeferred()+st.GetBounced() != 0 || len(st.GetMessages()) != 1000 {
		t.Fatalf("final status %+v", st)
	}
	for _, m := range st.GetMessages() {
		if m.GetStatus() == messagingv1.MessageStatus_MESSAGE_STATUS_NOT_SENT && !strings.Contains(m.GetError(), "recipientInfo.email") {
			t.Errorf("not-sent message without its reason: %v", m)
		}
	}
	only, err := e.msg.GetEmailStatus(authed(), &messagingv1.GetEmailStatusRequest{RequestUid: resp.GetRequestUid(), Status: []string{"notSent"}})
	if err != nil || only.GetNotSent() != 5 || only.GetDelivered() != 0 || len(only.GetMessages()) != 5 {
		t.Fatalf("status filtered to notSent: %+v, %v", only, err)
	}
}

// TestExpiredLeaseIsReclaimed simulates a dispatcher that crashed holding claims: its rows stay processing
// with an expired lease until a live dispatcher takes them over and delivers each once.
func TestExpiredLeaseIsReclaimed(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	e.stop() // no dispatcher while the "crashed" claims are staged
	resp, err := e.msg.SendEmailBatch(authed(), &messagingv1.SendEmailBatchRequest{
		RecipientInfo: &messagingv1.BatchRecipientInfo{BatchEmailAsBase64: b64Recipients(t, []string{"a@example.org", "b@example.org", "c@example.org"})},
		EmailContent:  content("Lease")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(t.Context(), `UPDATE message SET status = 'processing', attempts = 1,
		lease_token = gen_random_uuid(), lease_until = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if st := e.status(resp.GetRequestUid()); st.GetProcessing() != 3 {
		t.Fatalf("staged status %+v", st)
	}
	e.restart()
	testkit.Eventually(t, 10*time.Second, "reclaimed and delivered", func() error {
		if st := e.status(resp.GetRequestUid()); st.GetDelivered() != 3 {
			return fmt.Errorf("%+v", st)
		}
		return nil
	})
	if n, dup := e.sink.counts(); n != 3 || len(dup) > 0 {
		t.Fatalf("sink %d, duplicates %v", n, dup)
	}
}

// TestLeaseIsRenewedWhileASendRuns: a send that takes many leases keeps its claim — the lease moves ahead
// while the SMTP server holds the message — so a second dispatcher running beside it does not send the
// message again; and the e-mail arrives once when the server lets go.
func TestLeaseIsRenewedWhileASendRuns(t *testing.T) {
	t.Parallel()
	const lease = 300 * time.Millisecond
	e := start(t, func(c *messaging.Config, _ *messaging.Deps) { c.Lease = lease })
	second, err := messaging.New(e.cfg, e.deps)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- second.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	held := e.sink.hold(0)
	resp, err := e.msg.SendEmailSingle(authed(), &messagingv1.SendEmailSingleRequest{
		RecipientInfo: &messagingv1.RecipientInfo{Email: "slow@example.org"}, EmailContent: content("Slow")})
	if err != nil {
		t.Fatal(err)
	}
	<-held // the send is in DATA now
	var first time.Time
	if err := e.pool.QueryRow(t.Context(), `SELECT lease_until FROM message`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	// Without renewal the claim would lapse after one lease and the second dispatcher would resend.
	testkit.Eventually(t, 10*time.Second, "the lease renewed past three leases", func() error {
		var until time.Time
		if err := e.pool.QueryRow(t.Context(), `SELECT lease_until FROM message WHERE status = 'processing'`).Scan(&until); err != nil {
			return err
		}
		if until.Sub(first) < 3*lease {
			return fmt.Errorf("lease_until moved %s", until.Sub(first))
		}
		return nil
	})
	e.sink.open()
	testkit.Eventually(t, 10*time.Second, "delivered", func() error {
		if st := e.status(resp.GetRequestUid()); st.GetDelivered() != 1 {
			return fmt.Errorf("%+v", st)
		}
		return nil
	})
	if n, dup := e.sink.counts(); n != 1 || len(dup) > 0 {
		t.Fatalf("sink %d, duplicates %v", n, dup)
	}
}

// TestDeadDispatchersClaimsReturnInSeconds: the claims of a dispatcher that died right after claiming (its
// lease freshly set, at the default length) are sent by another dispatcher within about one lease.
func TestDeadDispatchersClaimsReturnInSeconds(t *testing.T) {
	t.Parallel()
	e := start(t, func(c *messaging.Config, _ *messaging.Deps) { c.Lease = 0 }) // 0: the default lease
	e.stop()
	resp, err := e.msg.SendEmailSingle(authed(), &messagingv1.SendEmailSingleRequest{
		RecipientInfo: &messagingv1.RecipientInfo{Email: "orphan@example.org"}, EmailContent: content("Orphan")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(t.Context(), `UPDATE message SET status = 'processing', attempts = 1,
		lease_token = gen_random_uuid(), lease_until = now() + interval '10 seconds'`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	e.restart()
	testkit.Eventually(t, 30*time.Second, "the dead dispatcher's message delivered", func() error {
		if st := e.status(resp.GetRequestUid()); st.GetDelivered() != 1 {
			return fmt.Errorf("%+v", st)
		}
		return nil
	})
	t.Logf("delivered %s after the restart (lease 10 s)", time.Since(start).Round(100*time.Millisecond))
}
