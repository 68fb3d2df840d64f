package health

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// stub answers Check with a fixed status or error; a hang blocks until the probe's deadline.
type stub struct {
	healthpb.HealthClient
	status healthpb.HealthCheckResponse_ServingStatus
	err    error
	hang   bool
}

func (s stub) Check(ctx context.Context, _ *healthpb.HealthCheckRequest, _ ...grpc.CallOption) (*healthpb.HealthCheckResponse, error) {
	if s.hang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if s.err != nil {
		return nil, s.err
	}
	return &healthpb.HealthCheckResponse{Status: s.status}, nil
}

func TestCheck(t *testing.T) {
	c := New(10*time.Millisecond,
		Upstream{BB: "registries", Client: stub{status: healthpb.HealthCheckResponse_SERVING}},
		Upstream{BB: "payments", Client: stub{status: healthpb.HealthCheckResponse_NOT_SERVING}},
		Upstream{BB: "messaging", Client: stub{err: errors.New("connection refused")}},
		Upstream{BB: "workflow", Client: stub{hang: true}},
	)
	rep := c.Check(context.Background())
	want := Report{Status: "not ready", NotReady: []string{"messaging", "payments", "workflow"}, Upstreams: map[string]string{
		"registries": "SERVING", "payments": "NOT_SERVING", "messaging": "UNREACHABLE", "workflow": "UNREACHABLE"}}
	if !reflect.DeepEqual(rep, want) {
		t.Errorf("Check = %+v\nwant %+v", rep, want)
	}
	rec := httptest.NewRecorder()
	c.Ready().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("Ready = %d, headers %v", rec.Code, rec.Header())
	}
}

func TestReadyWithAllServing(t *testing.T) {
	c := New(time.Second, Upstream{BB: "registries", Client: stub{status: healthpb.HealthCheckResponse_SERVING}})
	rec := httptest.NewRecorder()
	c.Ready().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != `{"status":"ready","upstreams":{"registries":"SERVING"}}` {
		t.Errorf("Ready = %d %s", rec.Code, rec.Body)
	}
}

// A component of the gateway itself that cannot work (the message log) makes the gateway not ready, even
// when every BB is serving.
func TestReadyNeedsTheComponents(t *testing.T) {
	broken := errors.New("the message log cannot be written")
	var state error
	c := New(time.Second, Upstream{BB: "registries", Client: stub{status: healthpb.HealthCheckResponse_SERVING}}).
		With(Component{Name: "message-log", Ready: func() error { return state }})
	for _, tc := range []struct {
		err  error
		code int
		want string
	}{{nil, http.StatusOK, "ready"}, {broken, http.StatusServiceUnavailable, broken.Error()}} {
		state = tc.err
		rec := httptest.NewRecorder()
		c.Ready().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		if rec.Code != tc.code {
			t.Errorf("state %v: status %d, want %d", tc.err, rec.Code, tc.code)
		}
		if rep := c.Check(context.Background()); rep.Components["message-log"] != tc.want {
			t.Errorf("state %v: components %v", tc.err, rep.Components)
		}
	}
}
