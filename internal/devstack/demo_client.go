package devstack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// demoClient calls the stack's gateway as the demo users do: the demo data goes through the same REST API,
// so every tender has its events, OCDS releases and Workflow instance.
type demoClient struct {
	base string
	http *http.Client
}

// demoIMClient is who the seed is at the IM (development mode trusts the header).
const demoIMClient = "GOVSTACK/GOV/GOVSTACK/demo-seed"

// call sends body (JSON, nil for none) with token (when set) and decodes the answer into out (when set); an
// answer other than want is an error naming the request and what the gateway said.
func (c demoClient) call(ctx context.Context, method, path, token string, body any, want int, out any) error {
	return c.callWith(ctx, method, path, token, nil, body, want, out)
}

// callWith is call with extra request headers.
func (c demoClient) callWith(ctx context.Context, method, path, token string, headers map[string]string, body any, want int, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Information-Mediator-Client", demoIMClient)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

// waitFor polls check every 200 ms until it reports done, an error, or the deadline passes.
func waitFor(ctx context.Context, within time.Duration, what string, check func() (bool, error)) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	var last error
	for {
		done, err := check()
		if done && err == nil {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w (last: %v)", what, ctx.Err(), last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// signIn returns an access token for email.
func (c demoClient) signIn(ctx context.Context, email, password string) (string, error) {
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err := c.call(ctx, "POST", "/auth/token", "", map[string]string{"email": email, "password": password}, 200, &tok)
	return tok.AccessToken, err
}
