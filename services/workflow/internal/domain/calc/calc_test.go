package calc

import (
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
)

func TestTimersCountWorkingDaysOnTheCalendar(t *testing.T) {
	tm, err := NewTimers("EE")
	if err != nil {
		t.Fatal(err)
	}
	// Tuesday 22 December 2026 + 3 working days in Estonia: 24, 25 and 26 December are holidays, 26-27 a
	// weekend, so the third working day is Tuesday 29 December.
	from := time.Date(2026, 12, 22, 10, 0, 0, 0, time.UTC)
	due, ok, err := tm.Next(bpmn.TimerDuration, "P3WD", from, 0)
	if err != nil || !ok || due.Weekday() != time.Tuesday || due.Day() != 29 {
		t.Fatalf("due %v ok %v err %v", due, ok, err)
	}
	if _, _, err := tm.Next(bpmn.TimerDuration, "soon", from, 0); err == nil {
		t.Fatal("a timer that does not parse")
	}
	if _, err := NewTimers("XX"); err == nil {
		t.Fatal("a country without holidays")
	}
}

func TestExpressionsAreFEEL(t *testing.T) {
	x, err := Expressions{}.Compile(`=if amount > 100 then "big" else "small"`)
	if err != nil {
		t.Fatal(err)
	}
	v, err := x.EvalAt(map[string]any{"amount": 500}, time.Now())
	if err != nil || v != "big" {
		t.Fatalf("%v %v", v, err)
	}
	if err := (Expressions{}).Check("=a =="); err == nil {
		t.Fatal("a bad expression compiled")
	}
}
