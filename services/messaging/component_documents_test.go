package messaging_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"
	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
)

// A document the hospital attaches to an appointment is e-mailed to the patient as a notice of what it is
// (migration 0008), not to the hospital; the e-mail names the kind of document.
func TestDocumentAddedEmailsThePatient(t *testing.T) {
	t.Parallel()
	e := startWithStream(t, "scheduling")
	appt := map[string]any{"appointmentId": "a-7", "startTimeLocal": "Monday 7 December 2026, 11:00 (Europe/Tallinn)",
		"subscriber": map[string]any{"id": "s7", "name": "Jaan Kuusk", "email": "jaan@example.org"},
		"resource":   map[string]any{"id": "r1", "name": "Dr. Tamm"},
		"entity":     map[string]any{"id": "e1", "name": "City Hospital", "email": "desk@city-hospital.example.org"}}
	publishEvent(t, e, schedulingv1.EventAppointmentDocumentAdded, "doc-ev-1", map[string]any{"appointment": appt,
		"documentId": "d-1", "kind": "prescription", "fileName": "prescription.pdf"})
	testkit.Eventually(t, 15*time.Second, "the patient's e-mail", func() error {
		if n, subj := e.sink.received("jaan@example.org"); n != 1 || subj != "A prescription from City Hospital" {
			return fmt.Errorf("the patient got %d %q", n, subj)
		}
		return nil
	})
	var body string
	if err := e.pool.QueryRow(t.Context(), `SELECT body_text FROM message WHERE trigger_event = $1`,
		schedulingv1.EventAppointmentDocumentAdded).Scan(&body); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"City Hospital attached a prescription (prescription.pdf)", "Dr. Tamm on Monday 7 December 2026, 11:00"} {
		if !strings.Contains(body, want) {
			t.Errorf("the e-mail lacks %q:\n%s", want, body)
		}
	}
	if n, _ := e.sink.received("desk@city-hospital.example.org"); n != 0 {
		t.Errorf("the hospital was e-mailed %d times of its own document", n)
	}
}
