// Package callback posts callbacks to the X-Callback-URL a caller gave (app.CallbackPoster).
package callback

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Poster posts JSON bodies over HTTP.
type Poster struct{ Client *http.Client }

// New returns a Poster with client (a client with a 10 s time-out when nil).
func New(client *http.Client) *Poster {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &Poster{Client: client}
}

// Post sends body to url; anything but a 2xx answer is a failed attempt. The callback's id travels as
// X-CorrelationID, so a receiver can tell a redelivery.
func (p *Poster) Post(ctx context.Context, url string, body []byte, correlationID string) error {
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
