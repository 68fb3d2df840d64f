package scheduling_test

import (
	"context"
	"testing"

	"github.com/govstackbb/marketplace/platform/testkit"
	"google.golang.org/grpc/codes"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
)

// TestLeaveRemovesSlots puts Dr. Kask on leave Monday morning: those slots are neither offered nor
// bookable; removing the leave brings them back.
func TestLeaveRemovesSlots(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	count := func() int {
		r, err := e.booking.ListFreeSlots(ctx, &schedulingv1.ListFreeSlotsRequest{ResourceId: "doc-kask",
			From: tallinn(t, 2027, 3, 29, 0, 0), To: tallinn(t, 2027, 3, 30, 0, 0)})
		if err != nil {
			t.Fatal(err)
		}
		return len(r.GetSlots())
	}
	_, err := e.directory.AddResourceException(ctx, &schedulingv1.AddResourceExceptionRequest{ResourceId: "doc-kask",
		From: tallinn(t, 2027, 3, 29, 12, 0), To: tallinn(t, 2027, 3, 29, 11, 0)})
	testkit.WantViolation(t, err, "to")
	_, err = e.directory.AddResourceException(ctx, &schedulingv1.AddResourceExceptionRequest{ResourceId: "doc-nobody",
		From: tallinn(t, 2027, 3, 29, 9, 0), To: tallinn(t, 2027, 3, 29, 12, 0)})
	testkit.WantCode(t, err, codes.NotFound)
	leave, err := e.directory.AddResourceException(ctx, &schedulingv1.AddResourceExceptionRequest{ResourceId: "doc-kask",
		From: tallinn(t, 2027, 3, 29, 9, 0), To: tallinn(t, 2027, 3, 29, 12, 0), Reason: "conference"})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 24-9 {
		t.Errorf("%d free slots on leave morning, want 15", n)
	}
	_, err = e.booking.BookAppointment(ctx, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-kask",
		StartTime: tallinn(t, 2027, 3, 29, 10, 0), Subscriber: citizen("x")})
	testkit.WantViolation(t, err, "start_time")
	if _, err := e.directory.DeleteResourceException(ctx, &schedulingv1.DeleteResourceExceptionRequest{ExceptionId: leave.GetExceptionId()}); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 24 {
		t.Errorf("%d free slots after the leave was removed", n)
	}
}
