// Package health answers the gateway's liveness and readiness probes (ARCHITECTURE.md §11): /healthz says
// the process is alive, /readyz says every building block behind it answers its gRPC health check.
package health

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"time"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// Upstream is one building block whose readiness the gateway reports.
type Upstream struct {
	BB     string
	Client healthpb.HealthClient
}

// Component is a part of the gateway itself that must work for it to be ready — the message log: a
// gateway that cannot record what passes through it must not take traffic.
type Component struct {
	Name  string
	Ready func() error // nil when ready; the error says why not
}

// Checker probes the upstreams and the gateway's own components.
type Checker struct {
	upstreams  []Upstream
	components []Component
	timeout    time.Duration
}

// New returns a Checker giving each upstream timeout to answer. Readiness probes run every few seconds, so a
// hung upstream must not make them pile up.
func New(timeout time.Duration, upstreams ...Upstream) *Checker {
	return &Checker{upstreams: upstreams, timeout: timeout}
}

// With adds components to the readiness check.
func (c *Checker) With(components ...Component) *Checker {
	c.components = append(c.components, components...)
	return c
}

// Live answers 200 {"status":"ok"} while the process can serve HTTP at all. It checks nothing else on
// purpose: an orchestrator restarts a process that is not live, and restarting the gateway does not fix a
// building block that is down.
func Live() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// Report is the body of /readyz.
type Report struct {
	Status    string            `json:"status"`             // "ready" or "not ready"
	Upstreams map[string]string `json:"upstreams"`          // BB → SERVING, NOT_SERVING, SERVICE_UNKNOWN, UNKNOWN or UNREACHABLE
	NotReady  []string          `json:"notReady,omitempty"` // the BBs that are not SERVING and the components that are not ready, sorted
	// Components says, per component of the gateway itself (message-log), "ready" or why it is not.
	Components map[string]string `json:"components,omitempty"`
}

// Check asks every upstream at once for its overall health (service ""), which the platform's gRPC
// server turns NOT_SERVING when it starts shutting down.
func (c *Checker) Check(ctx context.Context) Report {
	rep := Report{Status: "ready", Upstreams: make(map[string]string, len(c.upstreams))}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, u := range c.upstreams {
		wg.Go(func() {
			state := c.probe(ctx, u)
			mu.Lock()
			defer mu.Unlock()
			rep.Upstreams[u.BB] = state
			if state != healthpb.HealthCheckResponse_SERVING.String() {
				rep.NotReady = append(rep.NotReady, u.BB)
			}
		})
	}
	wg.Wait()
	for _, comp := range c.components {
		if rep.Components == nil {
			rep.Components = map[string]string{}
		}
		rep.Components[comp.Name] = "ready"
		if err := comp.Ready(); err != nil {
			rep.Components[comp.Name] = err.Error()
			rep.NotReady = append(rep.NotReady, comp.Name)
		}
	}
	if len(rep.NotReady) > 0 {
		rep.Status = "not ready"
		slices.Sort(rep.NotReady)
	}
	return rep
}

func (c *Checker) probe(ctx context.Context, u Upstream) string {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := u.Client.Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		return "UNREACHABLE"
	}
	return resp.GetStatus().String()
}

// Ready answers 200 when every upstream is SERVING, else 503; the body says which are not.
func (c *Checker) Ready() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep := c.Check(r.Context())
		code := http.StatusOK
		if len(rep.NotReady) > 0 {
			code = http.StatusServiceUnavailable
		}
		writeJSON(w, code, rep)
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	body, _ := json.Marshal(v) // plain maps and strings always marshal
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store") // a cached "ready" is a lie
	w.WriteHeader(code)
	_, _ = w.Write(body)
}
