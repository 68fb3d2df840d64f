package timer

import (
	"testing"
	"time"
)

// The engine computes a due time whenever a timer starts or fires; these show what that costs.

func BenchmarkNextWorkingDays(b *testing.B) {
	cal := estonia(b)
	d := mustParse(b, Duration, "P20WD")
	from := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for b.Loop() {
		if _, ok := d.Next(from, 0, cal); !ok {
			b.Fatal("no due time")
		}
	}
}

func BenchmarkNextCron(b *testing.B) {
	d := mustParse(b, Cycle, "CRON_TZ=Europe/Tallinn 0 0 9 * * MON-FRI")
	from := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for b.Loop() {
		if _, ok := d.Next(from, 3, nil); !ok {
			b.Fatal("no due time")
		}
	}
}

func BenchmarkNextSlotYearsLater(b *testing.B) {
	d := mustParse(b, Cycle, "R/2026-01-31T10:00:00Z/P1M")
	from := time.Date(2040, 6, 15, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		if _, ok := d.Next(from, 1, nil); !ok {
			b.Fatal("no due time")
		}
	}
}
