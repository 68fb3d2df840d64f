package api

import (
	"testing"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// Working hours go out as the "HH:MM" the API takes in: every minute of the day, midnight to midnight,
// reads back as itself.
func TestHHMMReadsBack(t *testing.T) {
	for m := 0; m <= 1440; m++ {
		if got, err := domain.ParseHHMM(hhmm(m)); err != nil || got != m {
			t.Fatalf("hhmm(%d) = %q reads back as %d, %v", m, hhmm(m), got, err)
		}
	}
}
