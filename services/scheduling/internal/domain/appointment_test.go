package domain

import (
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

var (
	t9    = time.Date(2027, 3, 29, 6, 0, 0, 0, time.UTC) // 09:00 in Tallinn
	kask  = Resource{ID: "doc-kask", Name: "Dr. Anna Kask"}
	north = Entity{ID: "hosp-north", Name: "North", TimeZone: "Europe/Tallinn"}
	liis  = Subscriber{ID: "liis", Name: "Liis", Email: "liis@example.org", NationalID: "NID-liis"}
	party = Parties{Subscriber: liis, Resource: kask, Entity: north}
)

func slotAt(start time.Time) Slot {
	return Slot{Resource: kask, Entity: north, Start: start, End: start.Add(20 * time.Minute)}
}

// booked is an appointment of liis with Dr. Kask at 09:00, in status st.
func booked(st Status) Appointment {
	return Appointment{ID: "a1", ResourceID: kask.ID, EntityID: north.ID, SubscriberID: liis.ID, Start: t9,
		End: t9.Add(20 * time.Minute), Status: st, BookingCode: "ABCD2345", Reason: "checkup"}
}

// wantErr asserts err is an apierr of kind and reason, or nil when reason is empty.
func wantErr(t *testing.T, err error, kind apierr.Kind, reason string) {
	t.Helper()
	e, ok := apierr.As(err)
	switch {
	case reason == "" && err != nil:
		t.Fatalf("unexpected error %v", err)
	case reason == "":
	case !ok || e.Kind != kind || e.Reason != reason:
		t.Fatalf("error %v, want %s %s", err, kind, reason)
	}
}

func TestBook(t *testing.T) {
	a, ev := Book("a1", slotAt(t9), liis, "checkup")
	if a.Status != StatusBooked || a.SubscriberID != "liis" || !a.End.Equal(t9.Add(20*time.Minute)) || len(a.BookingCode) != 8 {
		t.Fatalf("booked %+v", a)
	}
	if ev.Appointment != a || ev.Parties != party {
		t.Fatalf("event %+v, want the appointment and its parties", ev)
	}
}

func TestCancel(t *testing.T) {
	for _, c := range []struct {
		from       Status
		wantKind   apierr.Kind
		wantReason string
	}{
		{StatusBooked, 0, ""},
		{StatusCancelled, apierr.KindFailedPrecondition, ReasonNotActive},
		{StatusCheckedIn, apierr.KindFailedPrecondition, ReasonNotActive},
	} {
		t.Run(string(c.from), func(t *testing.T) {
			a := booked(c.from)
			ev, err := a.Cancel("sick", party)
			wantErr(t, err, c.wantKind, c.wantReason)
			if err != nil {
				if a != booked(c.from) {
					t.Errorf("a refused cancel changed the appointment: %+v", a)
				}
				return
			}
			if a.Status != StatusCancelled || a.Reason != "sick" || ev.Appointment != a || ev.Parties != party {
				t.Errorf("after cancel %+v, event %+v", a, ev)
			}
		})
	}
}

func TestReschedule(t *testing.T) {
	later := t9.Add(2 * time.Hour)
	elsewhere := slotAt(later)
	elsewhere.Entity = Entity{ID: "hosp-south"}
	for _, c := range []struct {
		name       string
		from       Status
		to         Slot
		wantKind   apierr.Kind
		wantReason string
	}{
		{"booked", StatusBooked, slotAt(later), 0, ""},
		{"cancelled", StatusCancelled, slotAt(later), apierr.KindFailedPrecondition, ReasonNotActive},
		{"checked in", StatusCheckedIn, slotAt(later), apierr.KindFailedPrecondition, ReasonNotActive},
		{"to another entity", StatusBooked, elsewhere, apierr.KindInvalidArgument, ReasonNotASlot},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := booked(c.from)
			ev, err := a.Reschedule(c.to, party)
			wantErr(t, err, c.wantKind, c.wantReason)
			if err != nil {
				if a != booked(c.from) {
					t.Errorf("a refused move changed the appointment: %+v", a)
				}
				return
			}
			if !a.Start.Equal(later) || !a.End.Equal(later.Add(20*time.Minute)) || a.Status != StatusBooked {
				t.Errorf("after move %+v", a)
			}
			if ev.Appointment != a || !ev.PreviousStart.Equal(t9) || a.BookingCode != "ABCD2345" {
				t.Errorf("event %+v: want the moved appointment, previous start %v, same booking code", ev, t9)
			}
		})
	}
}

func TestCheckIn(t *testing.T) {
	w := CheckInWindow{OpensBefore: time.Hour}
	inWindow := t9.Add(-30 * time.Minute)
	for _, c := range []struct {
		name       string
		from       Status
		claim      CheckInClaim
		now        time.Time
		wantKind   apierr.Kind
		wantReason string
	}{
		{"booking code", StatusBooked, CheckInClaim{SubscriberID: "liis", BookingCode: "ABCD2345"}, inWindow, 0, ""},
		{"national id", StatusBooked, CheckInClaim{SubscriberID: "liis", NationalID: "NID-liis"}, inWindow, 0, ""},
		{"wrong code", StatusBooked, CheckInClaim{SubscriberID: "liis", BookingCode: "ABCD2346"}, inWindow, apierr.KindPermissionDenied, ReasonIdentity},
		{"someone else", StatusBooked, CheckInClaim{SubscriberID: "peeter", BookingCode: "ABCD2345"}, inWindow, apierr.KindPermissionDenied, ReasonIdentity},
		{"wrong national id", StatusBooked, CheckInClaim{SubscriberID: "liis", NationalID: "NID-x"}, inWindow, apierr.KindPermissionDenied, ReasonIdentity},
		{"opens at", StatusBooked, CheckInClaim{SubscriberID: "liis", BookingCode: "ABCD2345"}, t9.Add(-time.Hour), 0, ""},
		{"too early", StatusBooked, CheckInClaim{SubscriberID: "liis", BookingCode: "ABCD2345"}, t9.Add(-time.Hour - time.Second), apierr.KindFailedPrecondition, ReasonCheckInClosed},
		{"at the end", StatusBooked, CheckInClaim{SubscriberID: "liis", BookingCode: "ABCD2345"}, t9.Add(20 * time.Minute), apierr.KindFailedPrecondition, ReasonCheckInClosed},
		{"cancelled", StatusCancelled, CheckInClaim{SubscriberID: "liis", BookingCode: "ABCD2345"}, inWindow, apierr.KindFailedPrecondition, ReasonNotActive},
		{"twice", StatusCheckedIn, CheckInClaim{SubscriberID: "liis", BookingCode: "ABCD2345"}, inWindow, apierr.KindFailedPrecondition, ReasonNotActive},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := booked(c.from)
			ev, err := a.CheckIn(c.claim, party, w, c.now)
			wantErr(t, err, c.wantKind, c.wantReason)
			if err != nil {
				if a != booked(c.from) {
					t.Errorf("a refused check-in changed the appointment: %+v", a)
				}
				return
			}
			if a.Status != StatusCheckedIn || ev.Appointment != a {
				t.Errorf("after check-in %+v, event %+v", a, ev)
			}
		})
	}
}

// The closed window is told in the hospital's own time, so the citizen knows when to come.
func TestCheckInClosedSaysWhenInLocalTime(t *testing.T) {
	a := booked(StatusBooked)
	_, err := a.CheckIn(CheckInClaim{SubscriberID: "liis", BookingCode: "ABCD2345"}, party, CheckInWindow{}, t9.Add(-3*time.Hour))
	want := "check-in for this appointment is open from Monday 29 March 2027, 07:00 (Europe/Tallinn) until 09:20; it is Monday 29 March 2027, 06:00 (Europe/Tallinn) now"
	if e, ok := apierr.As(err); !ok || e.Message != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestCheckInClaim(t *testing.T) {
	for _, c := range []struct {
		claim CheckInClaim
		field string
	}{
		{CheckInClaim{SubscriberID: "liis", BookingCode: "X"}, ""},
		{CheckInClaim{SubscriberID: "liis", NationalID: "X"}, ""},
		{CheckInClaim{BookingCode: "X"}, "subscriber_id"},
		{CheckInClaim{SubscriberID: "liis"}, "booking_code"},
	} {
		err := c.claim.Check()
		if c.field == "" {
			if err != nil {
				t.Errorf("%+v: %v", c.claim, err)
			}
			continue
		}
		if e, ok := apierr.As(err); !ok || len(e.Violations) != 1 || e.Violations[0].Field != c.field {
			t.Errorf("%+v: %v, want a violation on %s", c.claim, err, c.field)
		}
	}
}

func TestRemindable(t *testing.T) {
	for st, want := range map[Status]bool{StatusBooked: true, StatusCancelled: false, StatusCheckedIn: false} {
		if got := booked(st).Remindable(); got != want {
			t.Errorf("%s: remindable %v, want %v", st, got, want)
		}
	}
}
