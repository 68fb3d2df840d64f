package scheduling_test

import (
	"context"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"
	"google.golang.org/grpc/codes"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling"
)

// TestGovStackDirectoryCRUD builds a clinic through GovStack's CRUD API and books it.
func TestGovStackDirectoryCRUD(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	_, err := e.crud.CreateEntity(ctx, &schedulingv1.CreateEntityRequest{Details: &schedulingv1.Entity{Name: "X", TimeZone: "Mars/Base"}})
	testkit.WantViolation(t, err, "time_zone")
	_, err = e.crud.CreateEntity(ctx, &schedulingv1.CreateEntityRequest{})
	testkit.WantViolation(t, err, "name")
	ent, err := e.crud.CreateEntity(ctx, &schedulingv1.CreateEntityRequest{Details: &schedulingv1.Entity{EntityId: "clinic-parnu",
		Name: "Pärnu Clinic", City: "Pärnu", TimeZone: "Europe/Tallinn", Email: "desk@parnu.example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.crud.CreateEntity(ctx, &schedulingv1.CreateEntityRequest{Details: &schedulingv1.Entity{EntityId: "clinic-parnu", Name: "again"}})
	testkit.WantCode(t, err, codes.AlreadyExists)
	if _, err := e.crud.ModifyEntity(ctx, &schedulingv1.ModifyEntityRequest{EntityId: ent.GetEntityId(), Details: &schedulingv1.Entity{Phone: "+372 444"}}); err != nil {
		t.Fatal(err)
	}
	res, err := e.crud.CreateResource(ctx, &schedulingv1.CreateResourceRequest{ResourceDetails: &schedulingv1.Resource{Name: "Room 1", Category: "room", SlotMinutes: 30}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.crud.CreateAffiliation(ctx, &schedulingv1.CreateAffiliationRequest{AffiliationDetails: &schedulingv1.Affiliation{
		ResourceId: res.GetResourceId(), EntityId: "clinic-parnu", WorkDaysHours: []*schedulingv1.WorkingHours{{Weekday: 1, Start: "10:00", End: "09:00"}}}})
	testkit.WantViolation(t, err, "work_days_hours[0]")
	aff, err := e.crud.CreateAffiliation(ctx, &schedulingv1.CreateAffiliationRequest{AffiliationDetails: &schedulingv1.Affiliation{
		ResourceId: res.GetResourceId(), EntityId: "clinic-parnu", ResourceCategory: "room",
		WorkDaysHours: []*schedulingv1.WorkingHours{{Weekday: 1, Start: "10:00", End: "12:00"}}}})
	if err != nil {
		t.Fatal(err)
	}
	free, err := e.booking.ListFreeSlots(ctx, &schedulingv1.ListFreeSlotsRequest{ResourceId: res.GetResourceId(),
		From: "2027-03-29T00:00:00Z", To: "2027-03-30T00:00:00Z"})
	if err != nil || len(free.GetSlots()) != 4 || free.GetSlots()[0].GetLocalStart() != "2027-03-29T10:00:00+03:00" {
		t.Fatalf("room slots = %v, %v", free, err)
	}
	if _, err := e.crud.ModifyAffiliation(ctx, &schedulingv1.ModifyAffiliationRequest{AffiliationId: aff.GetAffiliationId(),
		Details: &schedulingv1.Affiliation{WorkDaysHours: []*schedulingv1.WorkingHours{{Weekday: 1, Start: "10:00", End: "11:00"}}}}); err != nil {
		t.Fatal(err)
	}
	affs, err := e.crud.ListAffiliations(ctx, &schedulingv1.ListAffiliationsRequest{EntityId: "clinic-parnu"})
	if err != nil || len(affs.GetAffiliations()) != 1 || affs.GetAffiliations()[0].GetWorkDaysHours()[0].GetEnd() != "11:00" {
		t.Fatalf("affiliations = %v, %v", affs, err)
	}
	// A subscriber created first, then booked by participant_id alone (GovStack's appointment/new).
	if _, err := e.crud.CreateSubscriber(ctx, &schedulingv1.CreateSubscriberRequest{SubscriberDetails: citizen("liis")}); err != nil {
		t.Fatal(err)
	}
	booked, err := e.crud.CreateAppointmentRecord(ctx, &schedulingv1.CreateAppointmentRecordRequest{AppointmentDetails: &schedulingv1.AppointmentDetails{
		ParticipantId: "liis", ResourceId: res.GetResourceId(), StartTime: "2027-03-29T10:30:00+03:00"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.crud.DeleteEntity(ctx, &schedulingv1.DeleteEntityRequest{EntityId: "clinic-parnu"})
	testkit.WantCode(t, err, codes.FailedPrecondition) // it has an appointment
	if _, err := e.crud.DeleteAppointmentRecord(ctx, &schedulingv1.DeleteAppointmentRecordRequest{AppointmentId: booked.GetAppointmentId()}); err != nil {
		t.Fatal(err)
	}
	subs, err := e.crud.ListSubscribers(ctx, &schedulingv1.ListSubscribersRequest{Name: "liis"})
	if err != nil || len(subs.GetSubscribers()) != 1 || subs.GetSubscribers()[0].GetNationalId() != "" {
		t.Fatalf("subscribers = %v, %v (the national id must not be listed)", subs, err)
	}
	_, err = e.crud.DeleteResource(ctx, &schedulingv1.DeleteResourceRequest{ResourceId: "nope"})
	testkit.WantCode(t, err, codes.NotFound)
}

// TestAlertScheduleAndEventDeadlineFire creates a message, an alert schedule that sends it and an event
// with a deadline; both fire once when the clock passes them, a deleted alert never does.
func TestAlertScheduleAndEventDeadlineFire(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	msg, err := e.crud.CreateMessage(ctx, &schedulingv1.CreateMessageRequest{MessageDetails: &schedulingv1.Message{
		EntityId: "hosp-north-tallinn", Category: "reminder", MessageBody: "Flu vaccination day tomorrow"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.crud.CreateAlertSchedule(ctx, &schedulingv1.CreateAlertScheduleRequest{AlertScheduleDetails: &schedulingv1.AlertSchedule{AlertDatetime: "tomorrow"}})
	testkit.WantViolation(t, err, "alert_datetime")
	at := testNow.Add(2 * time.Hour).Format(time.RFC3339)
	alert, err := e.crud.CreateAlertSchedule(ctx, &schedulingv1.CreateAlertScheduleRequest{AlertScheduleDetails: &schedulingv1.AlertSchedule{
		EntityId: "hosp-north-tallinn", MessageId: msg.GetMessageId(), AlertDatetime: at,
		Recipients: []*schedulingv1.Recipient{{Email: "ward@example.org"}}}})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := e.crud.CreateAlertSchedule(ctx, &schedulingv1.CreateAlertScheduleRequest{AlertScheduleDetails: &schedulingv1.AlertSchedule{
		MessageId: msg.GetMessageId(), AlertDatetime: at}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.crud.DeleteAlertSchedule(ctx, &schedulingv1.DeleteAlertScheduleRequest{AlertScheduleId: gone.GetAlertScheduleId()}); err != nil {
		t.Fatal(err)
	}
	ev, err := e.crud.CreateEvent(ctx, &schedulingv1.CreateEventRequest{Details: &schedulingv1.Event{Name: "Flu day", HostEntityId: "hosp-north-tallinn",
		From: "2027-03-26T09:00:00+02:00", To: "2027-03-26T17:00:00+02:00", Deadline: testNow.Add(time.Hour).Format(time.RFC3339),
		Venue: &schedulingv1.Venue{City: "Tallinn"}}})
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.crud.ListEvents(ctx, &schedulingv1.ListEventsRequest{HostEntityId: "hosp-north-tallinn", From: "2027-03-26T00:00:00Z"})
	if err != nil || len(list.GetEvents()) != 1 || list.GetEvents()[0].GetVenue().GetCity() != "Tallinn" {
		t.Fatalf("events = %v, %v", list, err)
	}
	_, err = e.crud.ListEvents(ctx, &schedulingv1.ListEventsRequest{From: "2027-13-01"})
	testkit.WantViolation(t, err, "from")

	e.clock.Set(testNow.Add(3 * time.Hour))
	fired := lastEvent(t, e.js, scheduling.EventAlertFired, nil)
	if pointer(fired, "/alertId") != alert.GetAlertScheduleId() || pointer(fired, "/kind") != "alert_schedule" ||
		pointer(fired, "/message") != "Flu vaccination day tomorrow" || pointer(fired, "/recipients/0/email") != "ward@example.org" {
		t.Errorf("alert.fired %v", fired)
	}
	reached := lastEvent(t, e.js, scheduling.EventDeadlineReached, nil)
	if pointer(reached, "/reference") != ev.GetEventId() || pointer(reached, "/subject") != "event.deadline" {
		t.Errorf("deadline.reached %v", reached)
	}
	testkit.Eventually(t, 10*time.Second, "timers fired", func() error { return pendingDue(e.pool, e.clock.Now()) })
	if n := outboxCount(t, e.pool, scheduling.EventAlertFired); n != 1 {
		t.Errorf("%d alerts fired, want 1", n)
	}
	logs, err := e.crud.CreateLog(ctx, &schedulingv1.CreateLogRequest{LogDetails: &schedulingv1.LogEntry{EntityId: "hosp-north-tallinn", LogCategory: "audit", LogData: "x"}})
	if err != nil || logs.GetLog().GetDatetime() == "" {
		t.Fatalf("log = %v, %v", logs, err)
	}
	ll, err := e.crud.ListLogs(ctx, &schedulingv1.ListLogsRequest{Category: "audit"})
	if err != nil || len(ll.GetLogs()) != 1 {
		t.Fatalf("logs = %v, %v", ll, err)
	}
}
