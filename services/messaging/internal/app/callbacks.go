package app

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// callbackRetry spaces out delivery-report attempts; after MaxAttempts the report is given up (logged).
var callbackRetry = domain.RetryPolicy{MaxAttempts: 10, Base: 2 * time.Second, Max: 10 * time.Minute}

// Callbacks POSTs delivery reports to requesters' callback URIs until ctx is done. It is its own loop so a
// slow or dead receiver never holds up the dispatcher.
func (s *Service) Callbacks(ctx context.Context, client *http.Client) error {
	for ctx.Err() == nil {
		due, err := s.store.ClaimCallbacks(ctx, 20, time.Minute)
		if err != nil && ctx.Err() == nil {
			s.log.Warn("claiming callbacks failed", "error", err.Error())
		}
		for _, c := range due {
			perr := post(ctx, client, c.URI, c.Payload)
			var next time.Time
			if perr != nil && !callbackRetry.Exhausted(c.Attempts) {
				next = time.Now().Add(callbackRetry.Delay(c.Attempts))
			}
			errText := ""
			if perr != nil {
				errText = perr.Error()
			}
			if next.IsZero() && perr != nil {
				s.log.Warn("giving up a delivery callback", "uri", c.URI, "error", errText)
			}
			if err := s.store.FinishCallback(context.WithoutCancel(ctx), c.ID, perr == nil, next, errText); err != nil {
				s.log.Warn("recording a callback failed", "error", err.Error())
			}
		}
		if len(due) == 0 {
			wait(ctx, s.dispatch.PollInterval)
		}
	}
	return nil
}

func post(ctx context.Context, client *http.Client, uri string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, uri, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("callback answered %s", resp.Status)
	}
	return nil
}
