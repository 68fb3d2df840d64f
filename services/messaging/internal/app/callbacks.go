package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// callbackRetry spaces out delivery-report attempts; after MaxAttempts the report is given up (logged).
var callbackRetry = domain.RetryPolicy{MaxAttempts: 10, Base: 2 * time.Second, Max: 10 * time.Minute}

// Callbacks POSTs delivery reports to requesters' callback URIs until ctx is done. It is its own loop so a
// slow or dead receiver never holds up the dispatcher.
func (s *Service) Callbacks(ctx context.Context) error {
	for ctx.Err() == nil {
		due, err := s.store.ClaimCallbacks(ctx, 20, time.Minute)
		if err != nil && ctx.Err() == nil {
			s.log.Warn("claiming callbacks failed", "error", err.Error())
		}
		for _, c := range due {
			s.postReport(ctx, c)
		}
		if len(due) == 0 {
			wait(ctx, s.dispatch.PollInterval)
		}
	}
	return nil
}

// postReport POSTs one report and records the result: sent, retried later, or given up.
func (s *Service) postReport(ctx context.Context, c OutgoingCallback) {
	perr := s.reports.Post(ctx, c.URI, c.Report)
	var next time.Time
	errText := ""
	if perr != nil {
		errText = perr.Error()
		if !callbackRetry.Exhausted(c.Attempts) {
			next = s.clock.Now().Add(callbackRetry.Delay(c.Attempts))
		} else {
			s.log.Warn("giving up a delivery callback", "uri", c.URI, "error", errText)
		}
	}
	if err := s.store.FinishCallback(context.WithoutCancel(ctx), c.ID, perr == nil, next, errText); err != nil {
		s.log.Warn("recording a callback failed", "error", err.Error())
	}
}
