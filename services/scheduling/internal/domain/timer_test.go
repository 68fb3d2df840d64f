package domain

import (
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

func TestTimerCancel(t *testing.T) {
	for _, c := range []struct {
		name               string
		fired, cancelled   bool
		wantKind           apierr.Kind
		wantReason         string
		wantCancelledAfter bool
	}{
		{"pending", false, false, 0, "", true},
		{"cancelled again", false, true, 0, "", true},
		{"fired", true, false, apierr.KindFailedPrecondition, ReasonDeadlineFired, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tm := Timer{ID: "t1", Kind: TimerDeadline, Fired: c.fired, Cancelled: c.cancelled}
			err := tm.Cancel()
			wantErr(t, err, c.wantKind, c.wantReason)
			if tm.Cancelled != c.wantCancelledAfter || tm.Fired != c.fired {
				t.Errorf("after Cancel: %+v", tm)
			}
		})
	}
}

func TestReminderAt(t *testing.T) {
	now := time.Date(2027, 3, 24, 12, 0, 0, 0, time.UTC)
	if got := ReminderAt(now.Add(48*time.Hour), now); !got.Equal(now.Add(24 * time.Hour)) {
		t.Errorf("far: %v", got)
	}
	if got := ReminderAt(now.Add(3*time.Hour), now); !got.Equal(now) {
		t.Errorf("soon: %v, want now", got)
	}
	r := NewReminder("r1", booked(StatusBooked), now)
	if r.Kind != TimerAppointmentReminder || r.AppointmentID != "a1" || !r.FireAt.Equal(t9.Add(-ReminderLead)) {
		t.Errorf("reminder %+v", r)
	}
}
