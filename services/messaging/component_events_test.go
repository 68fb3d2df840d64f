package messaging_test

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/testkit"
	"github.com/nats-io/nats.go"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/messaging"
)

// TestSchedulingEventsTriggerNotifications publishes hand-made Scheduling events to the embedded JetStream
// (the stream is Scheduling's in real life) and checks the shipped rules: a booking mails the subscriber and
// the entity's staff, a reminder mails the appointment's subscriber, another alert kind mails nobody, and a
// redelivered event sends nothing twice.
func TestSchedulingEventsTriggerNotifications(t *testing.T) {
	t.Parallel()
	e := startWithStream(t, "scheduling")
	appt := map[string]any{"appointmentId": "a-1", "startTime": "2026-12-01T09:00:00Z", "endTime": "2026-12-01T09:30:00Z",
		"startTimeLocal": "Tuesday 1 December 2026, 11:00 (Europe/Tallinn)", "endTimeLocal": "Tuesday 1 December 2026, 11:30 (Europe/Tallinn)",
		"bookingCode": "K7QX-2M",
		"subscriber":  map[string]any{"id": "s1", "name": "Mari Maasikas", "email": "mari@example.org", "phone": "+3725551234"},
		"resource":    map[string]any{"id": "r1", "name": "Dr. Tamm", "email": "tamm@example.org"},
		"entity":      map[string]any{"id": "e1", "name": "City Hospital", "email": "desk@hospital.example.org", "timeZone": "Europe/Tallinn"}}
	publish := func(subject, id string, payload any) { publishEvent(t, e, subject, id, payload) }
	publish(schedulingv1.EventAppointmentBooked, "ev-1", appt)
	publish(schedulingv1.EventAlertFired, "ev-2", map[string]any{"alertId": "al-1", "kind": "appointment_reminder",
		"message": "Bring your ID.", "fireAt": "2026-11-30T09:00:00Z", "appointment": appt})
	publish(schedulingv1.EventAlertFired, "ev-3", map[string]any{"alertId": "al-2", "kind": "other", "appointment": appt})
	testkit.Eventually(t, 15*time.Second, "notifications", func() error {
		if n, subj := e.sink.received("desk@hospital.example.org"); n != 1 || subj != "New appointment: Mari Maasikas with Dr. Tamm, Tuesday 1 December 2026, 11:00 (Europe/Tallinn)" {
			return fmt.Errorf("entity got %d %q", n, subj)
		}
		if n, _ := e.sink.received("mari@example.org"); n != 2 {
			return fmt.Errorf("subscriber got %d", n)
		}
		return nil
	})
	// A redelivery of the same event id (a producer retry after the duplicate window) is absorbed by the inbox.
	publish(schedulingv1.EventAppointmentBooked, "ev-1", appt)
	// A cancel event without the local time its templates need is not sent, and the reason is recorded, for the
	// subscriber's e-mail and the hospital's alike.
	noLocalTime := maps.Clone(appt)
	delete(noLocalTime, "startTimeLocal")
	publish(schedulingv1.EventAppointmentCancelled, "ev-4", noLocalTime)
	testkit.Eventually(t, 10*time.Second, "the cancel event was handled", func() error {
		var n int
		err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM message WHERE trigger_event = $1 AND status = 'not_sent'
			AND last_error LIKE '%startTimeLocal%'`, schedulingv1.EventAppointmentCancelled).Scan(&n)
		if err == nil && n != 2 {
			err = fmt.Errorf("%d not_sent cancel messages", n)
		}
		return err
	})
	if n, _ := e.sink.received("mari@example.org"); n != 2 {
		t.Fatalf("subscriber got %d after the redelivery", n)
	}
}

// smsProvider is an HTTP server standing in for the SMS provider.
type smsProvider struct {
	mu   sync.Mutex
	got  map[string]int
	auth []string
}

func (p *smsProvider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req struct{ To, From, Text string }
	_ = json.Unmarshal(body, &req)
	p.mu.Lock()
	p.got[req.To]++
	p.auth = append(p.auth, r.Header.Get("Authorization"))
	p.mu.Unlock()
	if req.To == "+15550000000" {
		http.Error(w, `{"error":"invalid number"}`, http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// TestSMSAndDeliveryCallbacks sends SMS through the HTTP provider (a 400 is a permanent failure) and checks
// that the requester's callback URI receives a report per message.
func TestSMSAndDeliveryCallbacks(t *testing.T) {
	t.Parallel()
	prov := &smsProvider{got: map[string]int{}}
	provSrv := httptest.NewServer(prov)
	t.Cleanup(provSrv.Close)
	var mu sync.Mutex
	reports := map[string]string{}
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var rep struct{ Recipient, Status string }
		_ = json.NewDecoder(r.Body).Decode(&rep)
		mu.Lock()
		reports[rep.Recipient] = rep.Status
		mu.Unlock()
	}))
	t.Cleanup(cb.Close)
	e := start(t, func(c *messaging.Config, _ *messaging.Deps) {
		c.SMSProviderURL, c.SMSProviderToken, c.SMSFrom = provSrv.URL, "tok", "GovStack"
	})
	resp, err := e.msg.SendSmsBatch(authed(), &messagingv1.SendSmsBatchRequest{
		CallbackUri: &messagingv1.CallbackSender{Uri: cb.URL + "/reports"},
		Recipients:  []*messagingv1.SmsRecipientInfo{{Phone: "+372 5555 1234"}, {Phone: "+15550000000"}, {Phone: "12345"}},
		SmsContent:  &messagingv1.SmsContent{Text: "Your code is 1234"}})
	if err != nil || resp.GetAccepted() != 2 || len(resp.GetRejected()) != 1 || resp.GetRejected()[0].GetIndex() != 2 {
		t.Fatalf("%v %v", resp, err)
	}
	testkit.Eventually(t, 10*time.Second, "sms outcomes and callbacks", func() error {
		st, err := e.msg.GetSmsStatus(authed(), &messagingv1.GetSmsStatusRequest{RequestUid: resp.GetRequestUid()})
		if err != nil || st.GetDelivered() != 1 || st.GetBounced() != 1 || st.GetNotSent() != 1 {
			return fmt.Errorf("%+v %v", st, err)
		}
		mu.Lock()
		defer mu.Unlock()
		if reports["+37255551234"] != "delivered" || reports["+15550000000"] != "bounced" {
			return fmt.Errorf("reports %v", reports)
		}
		return nil
	})
	prov.mu.Lock()
	defer prov.mu.Unlock()
	if prov.got["+37255551234"] != 1 || prov.auth[0] != "Bearer tok" {
		t.Fatalf("provider saw %v %v", prov.got, prov.auth)
	}
}

// startWithStream starts the service with bb's event stream in place, as the BB would have made it.
func startWithStream(t *testing.T, bb string) *env {
	t.Helper()
	return start(t, func(_ *messaging.Config, d *messaging.Deps) {
		if _, err := natsbus.EnsureStream(t.Context(), d.JetStream, bb); err != nil {
			t.Fatal(err)
		}
	})
}

// publishEvent publishes payload as JSON, as a BB does.
func publishEvent(t *testing.T, e *env, subject, id string, payload any) {
	t.Helper()
	data, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	publishRaw(t, e, subject, id, data)
}

// publishRaw publishes data on subject with the message id and the CloudEvents headers a BB sets.
func publishRaw(t *testing.T, e *env, subject, id string, data []byte) {
	t.Helper()
	msg := &nats.Msg{Subject: subject, Data: data, Header: nats.Header{}}
	msg.Header.Set("Nats-Msg-Id", id)
	msg.Header.Set("ce-id", id)
	msg.Header.Set("ce-type", subject)
	if _, err := e.js.PublishMsg(t.Context(), msg); err != nil {
		t.Fatal(err)
	}
}
