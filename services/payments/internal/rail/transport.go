package rail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
)

// call is one request to the rail, which send makes once or, where that is safe, several times.
type call struct {
	method string
	path   string // escaped, relative to the base URL
	route  string // the path as logged and put in errors: no account number in it
	// correlationID is the X-CorrelationID every attempt of a POST carries: the rail answers a repeat
	// with its first answer, which is what makes re-sending a POST safe.
	correlationID string
	body          []byte
	callback      bool // ask for the result at CallbackURL
}

// answer is the rail's definite answer to a call. body is nil when it was larger than the limit.
type answer struct {
	status int
	body   []byte
}

// reach says how far an attempt that got no definite answer may have gone.
type reach int

const (
	answered  reach = iota // a definite answer: it stands
	notSent                // the rail did not take the request (no connection, 429): nothing happened
	maybeSent              // the request may have been processed (time-out, 5xx, connection lost)
)

// get is a GET of path prefix + one escaped id; GETs are safe to repeat.
func (c *MobileMoney) get(ctx context.Context, prefix, id string) (answer, error) {
	return c.send(ctx, call{method: http.MethodGet, path: prefix + url.PathEscape(id), route: prefix + "{id}"})
}

// send makes the call, retrying with backoff what is safe to retry: every GET, and a POST under its fixed
// X-CorrelationID. When attempts run out, a POST that may have reached the rail is ErrInDoubt; anything
// else is ErrUnavailable.
func (c *MobileMoney) send(ctx context.Context, cl call) (answer, error) {
	var (
		sent       bool
		last       error
		retryAfter time.Duration
	)
	for attempt := 1; attempt <= c.o.MaxAttempts; attempt++ {
		if attempt > 1 && !sleep(ctx, c.backoff(attempt, retryAfter)) {
			break
		}
		if ctx.Err() != nil {
			break
		}
		ans, r, wait, err := c.attempt(ctx, cl)
		if r == answered {
			return ans, nil
		}
		sent = sent || r == maybeSent
		last, retryAfter = err, wait
		c.log.DebugContext(ctx, "rail: attempt failed", "rail", c.o.Name, "call", cl.method+" "+cl.route,
			"correlation_id", cl.correlationID, "attempt", attempt, "err", err)
	}
	if last == nil {
		last = ctx.Err()
	}
	if cl.method == http.MethodPost && sent {
		return answer{}, fmt.Errorf("%w: %s %s: %w", ErrInDoubt, cl.method, cl.route, last)
	}
	return answer{}, fmt.Errorf("%w: %s %s: %w", ErrUnavailable, cl.method, cl.route, last)
}

// attempt sends the call once, bounded by AttemptTimeout, and says how far it got.
func (c *MobileMoney) attempt(ctx context.Context, cl call) (answer, reach, time.Duration, error) {
	actx, cancel := context.WithTimeout(ctx, c.o.AttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, cl.method, c.base+cl.path, bytes.NewReader(cl.body))
	if err != nil {
		return answer{}, notSent, 0, fmt.Errorf("%s %s: cannot build the request", cl.method, cl.route)
	}
	c.setHeaders(req, cl)
	resp, err := c.http.Do(req)
	if err != nil {
		return answer{}, reachOf(err), 0, withoutURL(err)
	}
	defer resp.Body.Close()
	body, err := readLimited(resp.Body, c.o.MaxResponseBytes)
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return answer{}, notSent, retryAfterOf(resp), fmt.Errorf("HTTP 429")
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout:
		return answer{}, maybeSent, retryAfterOf(resp), fmt.Errorf("HTTP %d", resp.StatusCode)
	case errors.Is(err, errTooLarge):
		return answer{status: resp.StatusCode}, answered, 0, nil
	case err != nil: // the connection broke inside the answer: ask again
		return answer{}, maybeSent, 0, fmt.Errorf("HTTP %d, answer cut off: %w", resp.StatusCode, withoutURL(err))
	}
	return answer{status: resp.StatusCode, body: body}, answered, 0, nil
}

func (c *MobileMoney) setHeaders(req *http.Request, cl call) {
	req.Header.Set("Accept", "application/json")
	req.Header.Set(mmapi.HeaderDate, time.Now().UTC().Format(http.TimeFormat))
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cl.correlationID != "" {
		req.Header.Set(mmapi.HeaderCorrelationID, cl.correlationID)
	}
	if cl.callback {
		req.Header.Set(mmapi.HeaderCallbackURL, c.o.CallbackURL)
	}
	if c.o.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.o.Token)
	}
}

// reachOf says whether a failed round trip may have delivered the request: only a failure to connect
// proves it did not.
func reachOf(err error) reach {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return notSent
	}
	return maybeSent
}

// withoutURL drops the URL net/http puts in its errors: it can hold an account number.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

var errTooLarge = errors.New("answer larger than the limit")

// readLimited reads at most limit bytes of an answer.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, nil
}

// retryAfterOf reads a Retry-After in seconds; zero when absent or not a number.
func retryAfterOf(resp *http.Response) time.Duration {
	s, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || s < 0 {
		return 0
	}
	return time.Duration(s) * time.Second
}

// backoff is the wait before an attempt: doubling from BackoffBase with jitter (so that many clients
// retrying together spread out), or the rail's Retry-After when longer, never above BackoffMax.
func (c *MobileMoney) backoff(attempt int, retryAfter time.Duration) time.Duration {
	d := c.o.BackoffBase << min(attempt-2, 20)
	if d <= 0 || d > c.o.BackoffMax {
		d = c.o.BackoffMax
	}
	d = d/2 + rand.N(d/2+1)
	return min(max(d, retryAfter), c.o.BackoffMax)
}

// sleep waits d or until ctx is done; false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// defaultHTTPClient bounds every phase of a request, keeps enough idle connections for many concurrent
// instructions to one rail, and never follows a redirect (a POST must not be re-sent somewhere else).
func defaultHTTPClient(attemptTimeout time.Duration) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: attemptTimeout,
			MaxIdleConns:          256,
			MaxIdleConnsPerHost:   128,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
