// Package callback posts callbacks to the X-Callback-URL a caller gave (app.CallbackPoster).
package callback

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// Poster posts JSON bodies over HTTP to the hosts it allows.
type Poster struct {
	Client *http.Client
	Hosts  domain.CallbackHosts
}

// New returns a Poster with client (a client with a 10 s time-out that follows no redirect when nil) that
// posts only to hosts.
func New(client *http.Client, hosts domain.CallbackHosts) *Poster {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	return &Poster{Client: client, Hosts: hosts}
}

// Post sends body to url; anything but a 2xx answer is a failed attempt. The callback's id travels as
// X-CorrelationID, so a receiver can tell a redelivery.
// A URL whose host is no longer allowed (the list changed since it was given) is not called.
func (p *Poster) Post(ctx context.Context, url string, body []byte, correlationID string) error {
	if !p.Hosts.Allows(url) {
		return errors.New("the callback URL's host is not in GOVSTACK_PAYMENTS_CALLBACK_HOSTS")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CorrelationID", correlationID)
	resp, err := p.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("the callback URL answered %s", resp.Status)
	}
	return nil
}
