package rail_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/rail"
)

// fakeRail answers every request with h and remembers the requests' method, path and correlation id.
type fakeRail struct {
	mu   sync.Mutex
	seen []string
	ids  []string
}

func newFake(t *testing.T, h http.HandlerFunc) (*fakeRail, *rail.MobileMoney) {
	t.Helper()
	f := &fakeRail{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.seen = append(f.seen, r.Method+" "+r.URL.Path)
		f.ids = append(f.ids, r.Header.Get("X-CorrelationID"))
		f.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	co := fastClient()
	co.BaseURL = srv.URL + "/mm/v1.2"
	c, err := rail.NewMobileMoney(co)
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

func (f *fakeRail) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.seen...)
}

func TestAPostIsResentOnlyUnderItsCorrelationID(t *testing.T) {
	f, c := newFake(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	_, err := c.Submit(context.Background(), instruction("same-1", 100, "KES"))
	if !errors.Is(err, rail.ErrInDoubt) {
		t.Fatalf("Submit after 502s = %v, want ErrInDoubt", err)
	}
	if len(f.ids) != 3 {
		t.Fatalf("%d attempts, want 3", len(f.ids))
	}
	for _, id := range f.ids {
		if id != "same-1" {
			t.Fatalf("correlation ids %v: every attempt must carry the instruction id", f.ids)
		}
	}
}

func TestNothingSentIsNotInDoubt(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there now: every dial is refused
	co := fastClient()
	co.BaseURL = "http://" + addr
	c, _ := rail.NewMobileMoney(co)
	_, err = c.Submit(context.Background(), instruction("x-1", 100, "KES"))
	if !errors.Is(err, rail.ErrUnavailable) || errors.Is(err, rail.ErrInDoubt) {
		t.Fatalf("Submit to a closed port = %v, want ErrUnavailable and not ErrInDoubt", err)
	}
	_, cTooMany := newFake(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTooManyRequests) })
	if _, err := cTooMany.Submit(context.Background(), instruction("x-2", 100, "KES")); !errors.Is(err, rail.ErrUnavailable) || errors.Is(err, rail.ErrInDoubt) {
		t.Fatalf("Submit refused with 429 = %v, want ErrUnavailable", err)
	}
}

func TestRetryAfterIsHonouredUpToTheMax(t *testing.T) {
	var mu sync.Mutex
	var at []time.Time
	_, c := newFake(t, func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		at = append(at, time.Now())
		first := len(at) == 1
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"serverCorrelationId":"s","status":"pending"}`))
	})
	res, err := c.Submit(context.Background(), instruction("ra-1", 100, "KES"))
	if err != nil || res.State != rail.StatePending {
		t.Fatalf("Submit = %+v, %v", res, err)
	}
	// BackoffMax (20ms) caps the rail's 1s: a rail cannot stall the client beyond its own limit.
	if gap := at[1].Sub(at[0]); gap < 10*time.Millisecond || gap > 900*time.Millisecond {
		t.Fatalf("waited %v between attempts", gap)
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	f, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/elsewhere") {
			w.WriteHeader(http.StatusAccepted)
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	})
	_, err := c.Submit(context.Background(), instruction("rd-1", 100, "KES"))
	if !errors.Is(err, rail.ErrInDoubt) || !errors.Is(err, rail.ErrProtocol) {
		t.Fatalf("Submit answered by a redirect = %v, want ErrInDoubt and ErrProtocol", err)
	}
	if got := f.requests(); len(got) != 1 {
		t.Fatalf("requests %v: the redirect was followed", got)
	}
}

func TestAnswersAreReadUpToALimit(t *testing.T) {
	huge := `{"serverCorrelationId":"` + strings.Repeat("x", 2<<20) + `","status":"completed"}`
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusAccepted)
		}
		_, _ = w.Write([]byte(huge))
	})
	res, err := c.Submit(context.Background(), instruction("big-1", 100, "KES"))
	if err != nil || res.State != rail.StatePending {
		t.Fatalf("a 202 too large to read = %+v, %v; want PENDING (taken, details unread)", res, err)
	}
	if _, err := c.Status(context.Background(), "big-1"); !errors.Is(err, rail.ErrProtocol) {
		t.Fatalf("Status answered too largely = %v, want ErrProtocol", err)
	}
}

func TestAnswersThatAreNotTheRails(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
		body   string
		want   []error
	}{
		{"a 404 without an error object (a wrong base URL)", 404, "not found", []error{rail.ErrInDoubt, rail.ErrProtocol}},
		{"409: the id holds another instruction", 409, `{"errorCategory":"businessRule","errorCode":"duplicateRequest"}`, []error{rail.ErrIDReused}},
		{"401: our token", 401, `{"errorCategory":"authorisation","errorCode":"unauthorised"}`, []error{rail.ErrUnavailable}},
		{"a 400 with the error object", 400, `{"errorCategory":"validation","errorCode":"formatError"}`, []error{rail.ErrRejected}},
		{"a 202 saying failed", 202, `{"serverCorrelationId":"s","status":"failed","errorReference":{"errorCategory":"businessRule","errorCode":"insufficientFunds"}}`, []error{rail.ErrRejected}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, client := newFake(t, func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(c.status)
				_, _ = w.Write([]byte(c.body))
			})
			_, err := client.Submit(context.Background(), instruction("odd-1", 100, "KES"))
			for _, want := range c.want {
				if !errors.Is(err, want) {
					t.Fatalf("Submit = %v, want %v", err, want)
				}
			}
		})
	}
}

// TestTheResponseLinkIsNeverFollowedOffTheRail: the link of GET /responses names an id; the client reads
// it from its own base URL, wherever the link points.
func TestTheResponseLinkIsNeverFollowedOffTheRail(t *testing.T) {
	f, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.Contains(r.URL.Path, "/responses/"):
			_, _ = w.Write([]byte(`{"link":"http://attacker.example/requeststates/abc"}`))
		case strings.Contains(r.URL.Path, "/requeststates/"):
			_, _ = w.Write([]byte(`{"serverCorrelationId":"abc","status":"pending"}`))
		}
	})
	res, err := c.Status(context.Background(), "lk-1")
	if err != nil || res.State != rail.StatePending {
		t.Fatalf("Status = %+v, %v", res, err)
	}
	want := []string{"GET /mm/v1.2/responses/lk-1", "GET /mm/v1.2/requeststates/abc"}
	if got := f.requests(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("requests %v, want %v", got, want)
	}
}

func TestTheCallersDeadlineBoundsTheRetries(t *testing.T) {
	_, c := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // at the body's end the server starts noticing a client that leaves
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Submit(ctx, instruction("dl-1", 100, "KES"))
	if !errors.Is(err, rail.ErrInDoubt) || time.Since(start) > time.Second {
		t.Fatalf("Submit = %v after %v; want ErrInDoubt soon after the 100ms deadline (3 attempts would take 1.5s)", err, time.Since(start))
	}
}
