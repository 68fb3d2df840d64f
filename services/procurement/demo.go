package procurement

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/services/procurement/internal/events"
	"github.com/govstackbb/marketplace/services/procurement/internal/store"
)

// SetDemoWorkingDay gives the draft tender tenderID its own working day of length day, for demo data only
// (govstack dev seeds tenders at later stages this way): publishing it then sets its periods on that day, and
// its award's standstill too, while every other tender keeps GOVSTACK_PROCUREMENT_WORKING_DAY. It is not in
// the API: the seed calls it on the service's database between drafting and publishing the tender.
func SetDemoWorkingDay(ctx context.Context, pool *pgxpool.Pool, tenderID string, day time.Duration) error {
	if day <= 0 {
		return fmt.Errorf("procurement: a demo working day must be positive, not %s", day)
	}
	ok, err := store.New(pool, events.Encode).SetDemoWorkingDay(ctx, tenderID, day)
	if err == nil && !ok {
		err = fmt.Errorf("procurement: tender %s is not a draft: its periods are set", tenderID)
	}
	return err
}
