package events

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

var (
	start = time.Date(2027, 3, 29, 9, 0, 0, 0, time.UTC) // 12:00 in Tallinn
	appt  = domain.Appointment{ID: "a1", ResourceID: "doc-kask", EntityID: "hosp-north", SubscriberID: "liis",
		Start: start, End: start.Add(20 * time.Minute), Status: domain.StatusBooked, BookingCode: "ABCD2345", Reason: "checkup"}
	parties = domain.Parties{
		Subscriber: domain.Subscriber{ID: "liis", Name: "Liis", Email: "liis@example.org", Phone: "+372 5", NationalID: "NID-secret"},
		Resource:   domain.Resource{ID: "doc-kask", Name: "Dr. Anna Kask", Email: "kask@example.org"},
		Entity:     domain.Entity{ID: "hosp-north", Name: "North", Email: "desk@north.example.org", TimeZone: "Europe/Tallinn"}}
	facts = domain.AppointmentFacts{Appointment: appt, Parties: parties}
)

// appointmentJSON is the payload every appointment event carries for facts (check-in opening an hour
// before): what the Messaging BB's rules read by JSON pointer. The national id is never in it.
const appointmentJSON = `"appointmentId":"a1","startTime":"2027-03-29T09:00:00Z","endTime":"2027-03-29T09:20:00Z",
"reason":"checkup","subscriber":{"id":"liis","name":"Liis","email":"liis@example.org","phone":"+372 5"},
"resource":{"id":"doc-kask","name":"Dr. Anna Kask","email":"kask@example.org"},
"entity":{"id":"hosp-north","name":"North","email":"desk@north.example.org","timeZone":"Europe/Tallinn"},
"startTimeLocal":"Monday 29 March 2027, 12:00 (Europe/Tallinn)","endTimeLocal":"12:20",
"checkInOpensTime":"2027-03-29T08:00:00Z","checkInOpensLocal":"Monday 29 March 2027, 11:00 (Europe/Tallinn)"`

// The published contract — type, subject and payload — of each event this BB raises.
func TestEncode(t *testing.T) {
	enc := Encoder{CheckIn: domain.CheckInWindow{OpensBefore: time.Hour}}
	deadline := domain.Timer{ID: "d1", Kind: domain.TimerDeadline, FireAt: start, Subject: "tender.closing", Reference: "T-1",
		Recipients: []domain.Recipient{{Email: "x@example.org"}}}
	alert := domain.Timer{ID: "t1", Kind: domain.TimerAlertSchedule, FireAt: start, Subject: domain.SubjectAlertSchedule,
		Reference: "as-1", Message: "Hello", Recipients: []domain.Recipient{{Phone: "+1"}}}
	reminder := domain.Timer{ID: "r1", Kind: domain.TimerAppointmentReminder, FireAt: start, AppointmentID: "a1"}
	for _, c := range []struct {
		ev                 domain.Event
		typ, subject, json string
	}{
		{domain.AppointmentBooked{AppointmentFacts: facts}, "govstack.scheduling.v1.appointment.booked", "a1",
			`{` + appointmentJSON + `,"bookingCode":"ABCD2345"}`},
		{domain.AppointmentCancelled{AppointmentFacts: facts}, "govstack.scheduling.v1.appointment.cancelled", "a1",
			`{` + appointmentJSON + `}`},
		{domain.AppointmentCheckedIn{AppointmentFacts: facts}, "govstack.scheduling.v1.appointment.checked_in", "a1",
			`{` + appointmentJSON + `}`},
		{domain.AppointmentRescheduled{AppointmentFacts: facts, PreviousStart: start.Add(-24 * time.Hour)},
			"govstack.scheduling.v1.appointment.rescheduled", "a1", `{` + appointmentJSON + `,"bookingCode":"ABCD2345",
"previousStartTime":"2027-03-28T09:00:00Z","previousStartTimeLocal":"Sunday 28 March 2027, 12:00 (Europe/Tallinn)"}`},
		{domain.DocumentAdded{AppointmentFacts: facts, Document: domain.Document{ID: "d1", Kind: "prescription", FileName: "retsept.pdf"}},
			"govstack.scheduling.v1.appointment.document_added", "a1",
			`{"appointment":{` + appointmentJSON + `},"documentId":"d1","kind":"prescription","fileName":"retsept.pdf"}`},
		{domain.DeadlineReached{Timer: deadline}, "govstack.scheduling.v1.deadline.reached", "T-1",
			`{"deadlineId":"d1","subject":"tender.closing","reference":"T-1","dueAt":"2027-03-29T09:00:00Z","recipients":[{"email":"x@example.org"}]}`},
		{domain.AlertFired{Timer: alert}, "govstack.scheduling.v1.alert.fired", "as-1",
			`{"alertId":"as-1","kind":"alert_schedule","message":"Hello","fireAt":"2027-03-29T09:00:00Z","recipients":[{"phone":"+1"}]}`},
		{domain.AlertFired{Timer: reminder, Reminder: &domain.Reminder{AppointmentFacts: facts}}, "govstack.scheduling.v1.alert.fired", "a1",
			`{"alertId":"r1","kind":"appointment_reminder","message":"Reminder: appointment with Dr. Anna Kask at North",
"fireAt":"2027-03-29T09:00:00Z","appointment":{` + appointmentJSON + `,"bookingCode":"ABCD2345"},
"recipients":[{"email":"liis@example.org","phone":"+372 5"}]}`},
	} {
		t.Run(c.typ, func(t *testing.T) {
			out, err := enc.Encode(c.ev)
			if err != nil {
				t.Fatal(err)
			}
			if out.Type != c.typ || out.Subject != c.subject || out.Source != "govstack/scheduling" {
				t.Errorf("type %s subject %s source %s, want %s %s govstack/scheduling", out.Type, out.Subject, out.Source, c.typ, c.subject)
			}
			got, err := protojson.Marshal(out.Payload)
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, got, c.json)
		})
	}
}

func sameJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("the test's JSON: %v", err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("payload\n%s\nwant\n%s", got, want)
	}
}

// An event the contract does not know is an error, not a silently empty message.
func TestEncodeUnknown(t *testing.T) {
	if _, err := (Encoder{}).Encode(nil); err == nil {
		t.Error("nil event encoded")
	}
}
