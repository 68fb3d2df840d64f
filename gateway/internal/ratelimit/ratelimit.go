// Package ratelimit limits requests per client at the Information Mediator: a token bucket per
// authenticated client (per remote address for anonymous callers), answering 429 with Retry-After.
//
// The buckets live in this process. With several gateway replicas a client gets the limit once per replica
// it reaches; that is the usual trade for not putting a shared store on every request's path. Operators
// who need a hard global limit divide the setting by the replica count.
package ratelimit

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/imident"
	"golang.org/x/time/rate"
	"google.golang.org/grpc/codes"
)

// idleAfter is how long an unused bucket is kept; a client returning later starts with a full bucket,
// which is what it would have anyway.
const idleAfter = 10 * time.Minute

// Limiter holds one token bucket per caller.
type Limiter struct {
	rate  rate.Limit
	burst int
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// New allows perSecond requests per caller on average with bursts of burst. perSecond <= 0 disables limits.
func New(perSecond float64, burst int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	return &Limiter{rate: rate.Limit(perSecond), burst: burst, now: time.Now, buckets: map[string]*bucket{}}
}

// Enabled reports whether the limiter limits anything.
func (l *Limiter) Enabled() bool { return l != nil && l.rate > 0 }

// Allow takes a token for key; when none is left it returns how long until one is.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	if !l.Enabled() {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.rate, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	l.sweep(now)
	l.mu.Unlock()

	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now) // a refused request must not use up the token it is told to wait for
		return false, d
	}
	return true, 0
}

// Blocked reports whether key has no token left, and how long until it has one, without taking one: a
// caller refused for earlier failures is answered before its next attempt costs anything.
func (l *Limiter) Blocked(key string) (bool, time.Duration) {
	if !l.Enabled() {
		return false, 0
	}
	now := l.now()
	l.mu.Lock()
	b, ok := l.buckets[key]
	l.mu.Unlock()
	if !ok || b.lim.TokensAt(now) >= 1 {
		return false, 0
	}
	r := b.lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now)
	return true, d
}

// AddressKey is the limiter key of the address a request came from (its IP, without the port).
func AddressKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr:" + host
}

// sweep drops idle buckets at most once a minute, so memory follows the active callers. l.mu is held.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < time.Minute {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if now.Sub(b.seen) > idleAfter {
			delete(l.buckets, k)
		}
	}
}

// Middleware refuses a caller over its limit with 429 and Retry-After (whole seconds, at least 1). It runs
// after authentication, so the key is the proven client.
func (l *Limiter) Middleware(next http.Handler) http.Handler {
	if !l.Enabled() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, wait := l.Allow(callerKey(r))
		if !ok {
			rest.SetRetryAfter(w, wait)
			rest.WriteError(w, r, http.StatusTooManyRequests, codes.ResourceExhausted,
				"too many requests from this client; retry after "+strconv.Itoa(rest.RetryAfterSeconds(wait))+" s")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func callerKey(r *http.Request) string {
	if c, ok := imident.FromContext(r.Context()); ok {
		return "client:" + c.String()
	}
	return AddressKey(r)
}
