package delivery

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"
)

// HTTPReports POSTs delivery reports to requesters' callback URIs (the app's ReportPoster).
type HTTPReports struct{ Client *http.Client }

// NewHTTPReports returns the poster with a client time-out: a slow receiver holds up only its own report.
func NewHTTPReports(timeout time.Duration) *HTTPReports {
	return &HTTPReports{Client: &http.Client{Timeout: timeout}}
}

// Post sends report as JSON; anything but a 2xx answer is a failure, retried later.
func (p *HTTPReports) Post(ctx context.Context, uri string, report []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, uri, bytes.NewReader(report))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.Client.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("callback answered %s", resp.Status)
	}
	return nil
}
