package scheduling_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"
	"google.golang.org/grpc/codes"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling"
)

// TestFreeSlotsAcrossDST lists Dr. Kask's slots on the Friday before and the Monday after Tallinn moves to
// summer time: 09:00 local is 07:00Z on Friday and 06:00Z on Monday, 24 slots each day, none at the weekend.
func TestFreeSlotsAcrossDST(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	resp, err := e.booking.ListFreeSlots(ctx, &schedulingv1.ListFreeSlotsRequest{ResourceId: "doc-kask",
		From: tallinn(t, 2027, 3, 26, 0, 0), To: tallinn(t, 2027, 3, 30, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	slots := resp.GetSlots()
	if len(slots) != 48 {
		t.Fatalf("got %d slots, want 24 Friday + 24 Monday", len(slots))
	}
	first, monday := slots[0], slots[24]
	if got := first.GetStartTime().AsTime(); !got.Equal(time.Date(2027, 3, 26, 7, 0, 0, 0, time.UTC)) || first.GetLocalStart() != "2027-03-26T09:00:00+02:00" {
		t.Errorf("Friday first slot %v %s", got, first.GetLocalStart())
	}
	if got := monday.GetStartTime().AsTime(); !got.Equal(time.Date(2027, 3, 29, 6, 0, 0, 0, time.UTC)) || monday.GetLocalStart() != "2027-03-29T09:00:00+03:00" {
		t.Errorf("Monday first slot %v %s", got, monday.GetLocalStart())
	}
	if d := slots[1].GetStartTime().AsTime().Sub(first.GetStartTime().AsTime()); d != 20*time.Minute {
		t.Errorf("slot step %v", d)
	}
}

func TestFreeSlotsByEntityAndSpecialtyAndAvailability(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	// The citizen picks a city, then a hospital there, then cardiology.
	ents, err := e.directory.ListEntities(ctx, &schedulingv1.ListEntitiesRequest{City: "tartu"})
	if err != nil || len(ents.GetEntities()) != 1 || ents.GetEntities()[0].GetEntityId() != "hosp-tartu-university" {
		t.Fatalf("entities in Tartu = %v, %v", ents, err)
	}
	resp, err := e.booking.ListFreeSlots(ctx, &schedulingv1.ListFreeSlotsRequest{EntityId: "hosp-tartu-university",
		Specialty: "cardiology", From: tallinn(t, 2027, 3, 29, 0, 0), To: tallinn(t, 2027, 3, 30, 0, 0)})
	if err != nil || len(resp.GetSlots()) != 24 {
		t.Fatalf("slots = %d, %v", len(resp.GetSlots()), err)
	}
	for _, s := range resp.GetSlots() {
		if s.GetResourceId() != "doc-rebane" {
			t.Fatalf("non-cardiology slot %v", s)
		}
	}
	av, err := e.booking.GetAvailability(ctx, &schedulingv1.GetAvailabilityRequest{EntityId: "hosp-exampleville-general",
		Category: "general-practice", From: "2027-03-29T00:00:00Z", To: "2027-03-30T00:00:00Z"})
	if err != nil || len(av.GetResources()) != 2 || len(av.GetResources()[0].GetFreeSlots()) != 24 {
		t.Fatalf("availability = %v, %v", av, err)
	}
	res, err := e.directory.ListResources(ctx, &schedulingv1.ListResourcesRequest{EntityId: "hosp-north-tallinn"})
	if err != nil || len(res.GetResources()) != 2 {
		t.Fatalf("resources at North Tallinn = %v, %v", res, err)
	}
}

func TestBadFiltersAreClear400s(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	_, err := e.booking.ListFreeSlots(ctx, &schedulingv1.ListFreeSlotsRequest{ResourceId: "doc-kask", From: "yesterday", To: "2027-03-30T00:00:00Z"})
	testkit.WantViolation(t, err, "from")
	_, err = e.booking.ListFreeSlots(ctx, &schedulingv1.ListFreeSlotsRequest{ResourceId: "doc-kask", From: "2027-03-30T00:00:00", To: "2027-03-31T00:00:00Z"})
	testkit.WantViolation(t, err, "from") // no offset: ambiguous
	_, err = e.booking.ListFreeSlots(ctx, &schedulingv1.ListFreeSlotsRequest{ResourceId: "doc-kask", From: "2027-03-30T00:00:00Z", To: "2027-03-29T00:00:00Z"})
	testkit.WantViolation(t, err, "to")
	_, err = e.booking.ListFreeSlots(ctx, &schedulingv1.ListFreeSlotsRequest{ResourceId: "doc-kask", From: "2027-03-30T00:00:00Z", To: "2027-06-30T00:00:00Z"})
	testkit.WantViolation(t, err, "to")
	_, err = e.booking.ListFreeSlots(ctx, &schedulingv1.ListFreeSlotsRequest{From: "2027-03-30T00:00:00Z", To: "2027-03-31T00:00:00Z"})
	testkit.WantViolation(t, err, "resource_id")
	_, err = e.booking.ListFreeSlots(ctx, &schedulingv1.ListFreeSlotsRequest{ResourceId: "doc-nobody", From: "2027-03-30T00:00:00Z", To: "2027-03-31T00:00:00Z"})
	testkit.WantCode(t, err, codes.NotFound)
	_, err = e.booking.ListAppointments(ctx, &schedulingv1.ListAppointmentsRequest{Status: "maybe"})
	testkit.WantViolation(t, err, "status")
	_, err = e.booking.ListAppointments(ctx, &schedulingv1.ListAppointmentsRequest{From: "soon"})
	testkit.WantViolation(t, err, "from")
	// Booking off the slot grid, outside working hours, in the past, or without a citizen.
	book := func(start string, sub *schedulingv1.Subscriber) error {
		_, err := e.booking.BookAppointment(ctx, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-kask", StartTime: start, Subscriber: sub})
		return err
	}
	testkit.WantViolation(t, book(tallinn(t, 2027, 3, 29, 9, 10), citizen("c1")), "start_time")
	testkit.WantViolation(t, book(tallinn(t, 2027, 3, 28, 10, 0), citizen("c1")), "start_time") // Sunday
	testkit.WantViolation(t, book(tallinn(t, 2027, 3, 22, 10, 0), citizen("c1")), "start_time") // past
	testkit.WantViolation(t, book(tallinn(t, 2027, 3, 29, 9, 0), &schedulingv1.Subscriber{SubscriberId: "c1"}), "subscriber.name")
	_, err = e.booking.CancelAppointment(ctx, &schedulingv1.CancelAppointmentRequest{AppointmentId: "not-a-uuid"})
	testkit.WantViolation(t, err, "appointment_id")
}

// TestBookCancelRebook is the ORS flow: a citizen books, a second citizen is refused the same slot with
// "slot already booked", the first cancels and the second gets it.
func TestBookCancelRebook(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	slot := tallinn(t, 2027, 3, 29, 10, 0)
	first, err := e.booking.BookAppointment(ctx, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-kask",
		StartTime: slot, Subscriber: citizen("mari"), Reason: "chest pain"})
	if err != nil {
		t.Fatal(err)
	}
	a := first.GetAppointment()
	if a.GetEntityId() != "hosp-north-tallinn" || a.GetStatus() != schedulingv1.AppointmentStatus_APPOINTMENT_STATUS_BOOKED ||
		len(a.GetBookingCode()) != 8 || !a.GetStartTime().AsTime().Equal(time.Date(2027, 3, 29, 7, 0, 0, 0, time.UTC)) {
		t.Fatalf("booked %v", a)
	}
	ev := lastEvent(t, e.js, scheduling.EventAppointmentBooked, nil)
	for p, want := range map[string]any{
		"/appointmentId": a.GetAppointmentId(), "/startTime": "2027-03-29T07:00:00Z", "/endTime": "2027-03-29T07:20:00Z",
		"/reason": "chest pain", "/subscriber/id": "mari", "/subscriber/email": "mari@example.org", "/subscriber/name": "Citizen mari",
		"/subscriber/phone": "+372 5000 0000", "/resource/id": "doc-kask", "/resource/email": "anna.kask@example.org",
		"/resource/name": "Dr. Anna Kask", "/entity/id": "hosp-north-tallinn", "/entity/email": "appointments@north-tallinn.example.org",
		"/entity/timeZone": "Europe/Tallinn", "/entity/name": "North Tallinn Hospital",
	} {
		if got := pointer(ev, p); got != want {
			t.Errorf("booked event %s = %v, want %v", p, got, want)
		}
	}
	if pointer(ev, "/subscriber/nationalId") != nil {
		t.Error("the event leaks the national id")
	}

	_, err = e.booking.BookAppointment(ctx, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-kask", StartTime: slot, Subscriber: citizen("jaan")})
	if st := testkit.WantCode(t, err, codes.AlreadyExists); st.Message() != "slot already booked" {
		t.Errorf("message %q", st.Message())
	}
	if got := violations(err); len(got) != 1 || got[0] != "start_time" { // a form shows it next to the time
		t.Errorf("violations %v", got)
	}
	free, err := e.booking.ListFreeSlots(ctx, &schedulingv1.ListFreeSlotsRequest{ResourceId: "doc-kask",
		From: tallinn(t, 2027, 3, 29, 0, 0), To: tallinn(t, 2027, 3, 30, 0, 0)})
	if err != nil || len(free.GetSlots()) != 23 {
		t.Fatalf("free after booking = %d, %v", len(free.GetSlots()), err)
	}

	if _, err := e.booking.CancelAppointment(ctx, &schedulingv1.CancelAppointmentRequest{AppointmentId: a.GetAppointmentId(), Reason: "feeling better"}); err != nil {
		t.Fatal(err)
	}
	ev = lastEvent(t, e.js, scheduling.EventAppointmentCancelled, nil)
	if pointer(ev, "/appointmentId") != a.GetAppointmentId() || pointer(ev, "/reason") != "feeling better" {
		t.Errorf("cancelled event %v", ev)
	}
	_, err = e.booking.CancelAppointment(ctx, &schedulingv1.CancelAppointmentRequest{AppointmentId: a.GetAppointmentId()})
	testkit.WantCode(t, err, codes.FailedPrecondition)
	second, err := e.booking.BookAppointment(ctx, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-kask", StartTime: slot, Subscriber: citizen("jaan")})
	if err != nil {
		t.Fatalf("re-booking a cancelled slot: %v", err)
	}
	mine, err := e.booking.ListAppointments(ctx, &schedulingv1.ListAppointmentsRequest{ParticipantId: "jaan"})
	if err != nil || len(mine.GetAppointments()) != 1 || mine.GetAppointments()[0].GetAppointmentId() != second.GetAppointment().GetAppointmentId() {
		t.Fatalf("jaan's appointments = %v, %v", mine, err)
	}
	if n := overlaps(t, e.pool); n != 0 {
		t.Fatalf("%d overlapping appointments", n)
	}
}

func TestRescheduleIsAtomic(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	book := func(who string, hh int) *schedulingv1.Appointment {
		r, err := e.booking.BookAppointment(ctx, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-saar",
			StartTime: tallinn(t, 2027, 3, 30, hh, 0), Subscriber: citizen(who)})
		if err != nil {
			t.Fatal(err)
		}
		return r.GetAppointment()
	}
	a, b := book("a", 10), book("b", 11)
	// Onto b's slot: refused, and a keeps its slot.
	_, err := e.booking.RescheduleAppointment(ctx, &schedulingv1.RescheduleAppointmentRequest{AppointmentId: a.GetAppointmentId(), StartTime: tallinn(t, 2027, 3, 30, 11, 0)})
	testkit.WantCode(t, err, codes.AlreadyExists)
	got, _ := e.booking.ListAppointments(ctx, &schedulingv1.ListAppointmentsRequest{AppointmentId: a.GetAppointmentId()})
	if !got.GetAppointments()[0].GetStartTime().AsTime().Equal(a.GetStartTime().AsTime()) {
		t.Fatalf("a failed reschedule moved the appointment: %v", got)
	}
	moved, err := e.booking.RescheduleAppointment(ctx, &schedulingv1.RescheduleAppointmentRequest{AppointmentId: a.GetAppointmentId(), StartTime: tallinn(t, 2027, 3, 30, 14, 20)})
	if err != nil {
		t.Fatal(err)
	}
	if !moved.GetAppointment().GetStartTime().AsTime().Equal(time.Date(2027, 3, 30, 11, 20, 0, 0, time.UTC)) {
		t.Errorf("moved to %v", moved.GetAppointment().GetStartTime().AsTime())
	}
	ev := lastEvent(t, e.js, scheduling.EventAppointmentRescheduled, nil)
	if pointer(ev, "/previousStartTime") != "2027-03-30T07:00:00Z" || pointer(ev, "/startTime") != "2027-03-30T11:20:00Z" {
		t.Errorf("rescheduled event %v", ev)
	}
	// The old slot is free at once: b moves into it.
	if _, err := e.booking.RescheduleAppointment(ctx, &schedulingv1.RescheduleAppointmentRequest{AppointmentId: b.GetAppointmentId(), StartTime: tallinn(t, 2027, 3, 30, 10, 0)}); err != nil {
		t.Fatalf("the freed slot: %v", err)
	}
	// Only one pending reminder per appointment, at the new time.
	var pending int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM timer WHERE appointment_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL`,
		a.GetAppointmentId()).Scan(&pending); err != nil || pending != 1 {
		t.Fatalf("pending reminders of a = %d, %v", pending, err)
	}
}

func TestCheckInCrossVerifies(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	r, err := e.booking.BookAppointment(ctx, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-okafor",
		StartTime: "2027-03-29T13:00:00Z", Subscriber: citizen("ann")})
	if err != nil {
		t.Fatal(err)
	}
	a := r.GetAppointment()
	checkIn := func(sub, nid, code string) (*schedulingv1.CheckInAppointmentResponse, error) {
		return e.booking.CheckInAppointment(ctx, &schedulingv1.CheckInAppointmentRequest{AppointmentId: a.GetAppointmentId(),
			SubscriberId: sub, NationalId: nid, BookingCode: code})
	}
	_, err = checkIn("ann", "", "")
	testkit.WantViolation(t, err, "booking_code")
	_, err = checkIn("ann", "", "WRONGCOD")
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = checkIn("bob", "NID-ann", "")
	testkit.WantCode(t, err, codes.PermissionDenied)
	_, err = checkIn("ann", "NID-bob", "")
	testkit.WantCode(t, err, codes.PermissionDenied)
	// Check-in opens two hours before the start and closes at the end (issue 11); outside, the citizen is
	// told when the window is.
	start := time.Date(2027, 3, 29, 13, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{start.Add(-2*time.Hour - time.Minute), start.Add(20 * time.Minute)} {
		e.clock.Set(at)
		_, err = checkIn("ann", "NID-ann", "")
		if st := testkit.WantCode(t, err, codes.FailedPrecondition); !strings.Contains(st.Message(), "open from Monday 29 March 2027, 11:00") {
			t.Errorf("at %s: %q", at, st.Message())
		}
	}
	e.clock.Set(start.Add(-30 * time.Minute))
	got, err := checkIn("ann", "NID-ann", "")
	if err != nil || got.GetAppointment().GetStatus() != schedulingv1.AppointmentStatus_APPOINTMENT_STATUS_CHECKED_IN {
		t.Fatalf("check-in = %v, %v", got, err)
	}
	ev := lastEvent(t, e.js, scheduling.EventAppointmentCheckedIn, nil)
	if pointer(ev, "/appointmentId") != a.GetAppointmentId() || pointer(ev, "/entity/id") != "hosp-exampleville-general" {
		t.Errorf("checked_in event %v", ev)
	}
	_, err = checkIn("ann", "", a.GetBookingCode())
	testkit.WantCode(t, err, codes.FailedPrecondition) // already checked in
}
