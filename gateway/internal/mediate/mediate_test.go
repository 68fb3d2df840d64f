package mediate

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/imident"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

var (
	provider = imident.Client{Instance: "GOVSTACK", Class: "GOV", Member: "GOVSTACK", Subsystem: "registries"}
	reg      = Service{Provider: provider, Code: "registries", BB: "registries", Enabled: true}
	off      = Service{Provider: provider, Code: "archive", BB: "registries", Enabled: false}
	app      = imident.Client{Instance: "EE", Class: "GOV", Member: "1", Subsystem: "app"}
)

type catalogue []Service

func (c catalogue) Service(_ context.Context, p imident.Client, code string) (Service, error) {
	for _, s := range c {
		if s.Provider == p && s.Code == code {
			return s, nil
		}
	}
	if code == "broken" {
		return Service{}, errors.New("db down")
	}
	return Service{}, ErrUnknownService
}

func TestRouter(t *testing.T) {
	var gotPath, gotRaw string
	var gotTarget Service
	h := http.NewServeMux()
	h.Handle(RoutePattern, Router(catalogue{reg, off}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotRaw = r.URL.Path, r.URL.RawPath
		gotTarget, _ = TargetFrom(r.Context())
	})))
	for _, tc := range []struct {
		target, wantPath, wantRaw string
		want                      int
	}{
		{"/r1/GOVSTACK/GOV/GOVSTACK/registries/registries/data/citizens/1.0?search=x", "/data/citizens/1.0", "", 200},
		{"/r1/GOVSTACK/GOV/GOVSTACK/registries/registries/data/a%2Fb/1.0/read", "/data/a/b/1.0/read", "/data/a%2Fb/1.0/read", 200},
		{"/r1/GOVSTACK/GOV/GOVSTACK/registries/nope/data", "", "", 404},
		{"/r1/GOVSTACK/GOV/GOVSTACK/registries/archive/data", "", "", 503},
		{"/r1/GOVSTACK/GOV/GOVSTACK/registries/broken/data", "", "", 503},
	} {
		gotPath, gotRaw, gotTarget = "", "", Service{}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, tc.target, nil))
		if w.Code != tc.want || gotPath != tc.wantPath || gotRaw != tc.wantRaw {
			t.Errorf("%s: status %d path %q raw %q; want %d %q %q (%s)", tc.target, w.Code, gotPath, gotRaw, tc.want, tc.wantPath, tc.wantRaw, w.Body)
		}
		if tc.want == 200 && gotTarget != reg {
			t.Errorf("%s: target %v", tc.target, gotTarget)
		}
	}
}

type onlyGrant struct{ client, endpoint string }

func (g onlyGrant) Allowed(_ context.Context, c imident.Client, s Service, endpoint string) (bool, string, error) {
	if c.String() == "EE/GOV/1/broken" {
		return false, "", errors.New("db down")
	}
	return c.String() == g.client && endpoint == g.endpoint && s.Enabled, "not granted", nil
}

func TestGuard(t *testing.T) {
	const read = "/govstack.registries.v1.RegistriesService/ReadRecord"
	rights := onlyGrant{client: app.String(), endpoint: read}
	messaging := Service{Provider: provider, Code: "messaging", BB: "messaging", Enabled: true}
	for _, tc := range []struct {
		name   string
		client *imident.Client
		routed *Service
		method string
		anon   bool
		want   codes.Code
	}{
		{name: "granted", client: &app, method: read, want: codes.OK},
		{name: "other endpoint", client: &app, method: "/govstack.registries.v1.RegistriesService/DeleteRecord", want: codes.PermissionDenied},
		{name: "other client", client: &imident.Client{Instance: "EE", Class: "GOV", Member: "2", Subsystem: "x"}, method: read, want: codes.PermissionDenied},
		{name: "anonymous in production", method: read, want: codes.Unauthenticated},
		{name: "anonymous in dev mode", method: read, anon: true, want: codes.OK},
		{name: "path of another service", client: &app, routed: &messaging, method: read, want: codes.NotFound},
		{name: "registry down", client: &imident.Client{Instance: "EE", Class: "GOV", Member: "1", Subsystem: "broken"}, method: read, want: codes.Unavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.client != nil {
				ctx = imident.NewContext(ctx, *tc.client)
			}
			if tc.routed != nil {
				ctx = WithTarget(ctx, *tc.routed)
			}
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			var info *rest.Info
			// Observe puts the Info in the context; reach it through a tiny handler chain.
			rest.Observe(discardLogger(), testMetrics(t), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				info = rest.InfoFrom(r.Context())
				_, err := Guard{BB: "registries", Default: reg, Rights: rights, AllowAnonymous: tc.anon}.Check(
					mergeCtx(ctx, r.Context()), tc.method)
				if status.Code(err) != tc.want {
					t.Errorf("got %v, want %s", err, tc.want)
				}
			})).ServeHTTP(httptest.NewRecorder(), r)
			if info.Endpoint != tc.method {
				t.Errorf("info endpoint %q", info.Endpoint)
			}
		})
	}
}

// grants allows the listed client|endpoint pairs.
type grants map[string]bool

func (g grants) Allowed(_ context.Context, c imident.Client, _ Service, endpoint string) (bool, string, error) {
	return g[c.String()+"|"+endpoint], "", nil
}

func TestGuardVouchesForThePersonalDataRightOnly(t *testing.T) {
	const read = "/govstack.scheduling.v1.BookingService/ListAppointments"
	backOffice := imident.Client{Instance: "EE", Class: "GOV", Member: "1", Subsystem: "hospital"}
	rights := grants{app.String() + "|" + read: true, backOffice.String() + "|" + read: true,
		backOffice.String() + "|" + imident.PersonalDataEndpoint: true}
	g := Guard{BB: "registries", Default: reg, Rights: rights}
	for _, tc := range []struct {
		client imident.Client
		want   bool
	}{{app, false}, {backOffice, true}} {
		ctx, err := g.Check(imident.NewContext(context.Background(), tc.client), read)
		if err != nil {
			t.Fatal(err)
		}
		md, _ := metadata.FromOutgoingContext(ctx)
		if got := len(md.Get(imident.PersonalDataMetadataKey)) > 0; got != tc.want {
			t.Errorf("%s: vouched = %v, want %v", tc.client, got, tc.want)
		}
	}
}
