// Package gatewayapi is the portal's client of the gateway's public REST API — the only API the portal
// uses. Every call carries the portal's IM client identity (and API key), and a signed-in person's access
// token as Authorization: Bearer. Errors come back as *Error, the gateway's {code, message, details} decoded,
// so pages can put each field violation next to its field; nothing of a raw error reaches a page.
package gatewayapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client calls the gateway's REST API as one IM client.
type Client struct {
	base     string
	imClient string
	apiKey   string
	http     *http.Client
}

// New returns a client of the gateway at baseURL (e.g. http://127.0.0.1:8080) as imClient, with apiKey when
// the gateway requires one ("" in its development mode). timeout bounds each call.
func New(baseURL, imClient, apiKey string, timeout time.Duration) *Client {
	return &Client{base: strings.TrimRight(baseURL, "/"), imClient: imClient, apiKey: apiKey,
		http: &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // an API answers; it does not send us elsewhere with a token
		}}}
}

// maxResponseBytes bounds what the portal reads of one answer: the largest are documents read back
// (Registration takes files of up to 5 MiB); lists are a few hundred records. A longer answer is refused,
// never cut short.
const maxResponseBytes = 6 << 20

// call is one request: method and path (with its query), the JSON body (nil for none), the person's access
// token ("" for an anonymous call), an idempotency key ("" for none), and where to decode a 2xx answer.
type call struct {
	method, path   string
	body           any
	token          string
	idempotencyKey string
	out            any
	// raw, when set, receives a 2xx answer's body as it is (a downloaded file) and its content type.
	raw *Download
}

// Download is a file the API answered with.
type Download struct {
	ContentType string
	Content     []byte
}

func (c *Client) do(ctx context.Context, cl call) error {
	var body io.Reader
	if cl.body != nil {
		b, err := json.Marshal(cl.body)
		if err != nil {
			return fmt.Errorf("encode %s %s: %w", cl.method, routeOf(cl.path), err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, c.base+cl.path, body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", cl.method, routeOf(cl.path), err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-GovStack-Client", c.imClient)
	if c.apiKey != "" {
		req.Header.Set("X-GovStack-Api-Key", c.apiKey)
	}
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cl.token != "" {
		req.Header.Set("Authorization", "Bearer "+cl.token)
	}
	if cl.idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", cl.idempotencyKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		// The URL (which may hold a query) stays out of the error: it is logged.
		return &Error{Status: http.StatusServiceUnavailable, Code: "UNAVAILABLE", Route: cl.method + " " + routeOf(cl.path),
			cause: errors.Unwrap(err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return &Error{Status: http.StatusServiceUnavailable, Code: "UNAVAILABLE", Route: cl.method + " " + routeOf(cl.path), cause: err}
	}
	if len(raw) > maxResponseBytes {
		return &Error{Status: http.StatusBadGateway, Code: "BAD_ANSWER", Route: cl.method + " " + routeOf(cl.path),
			cause: fmt.Errorf("the answer is longer than the portal reads (%d bytes)", maxResponseBytes)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := DecodeError(resp.StatusCode, raw)
		e.Route = cl.method + " " + routeOf(cl.path)
		e.RetryAfter = resp.Header.Get("Retry-After")
		return e
	}
	if cl.raw != nil {
		cl.raw.ContentType, cl.raw.Content = resp.Header.Get("Content-Type"), raw
		return nil
	}
	if cl.out == nil || len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, cl.out); err != nil {
		return &Error{Status: http.StatusBadGateway, Code: "BAD_ANSWER", Route: cl.method + " " + routeOf(cl.path), cause: err}
	}
	return nil
}

// routeOf is a path without its query: what may be logged of a call (a query can carry a link token).
func routeOf(path string) string {
	p, _, _ := strings.Cut(path, "?")
	return p
}

// query builds "?k=v&..." from pairs, leaving out empty values.
func query(pairs ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			v.Add(pairs[i], pairs[i+1])
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}
