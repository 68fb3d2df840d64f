package usertoken_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/usertoken"
)

// call runs the interceptor with the given authorization metadata and reports what the handler saw.
func call(v *usertoken.Verifier, authorization string) (claims usertoken.Claims, ran, had bool, err error) {
	ctx := context.Background()
	if authorization != "" {
		ctx = metadata.NewIncomingContext(ctx, metadata.Pairs("authorization", authorization))
	}
	h := func(ctx context.Context, _ any) (any, error) {
		ran = true
		claims, had = usertoken.FromContext(ctx)
		return nil, nil
	}
	_, err = usertoken.UnaryServerInterceptor(v)(ctx, nil, &grpc.UnaryServerInfo{FullMethod: "/x.Y/Z"}, h)
	return claims, ran, had, err
}

func TestInterceptor(t *testing.T) {
	f := newFixture(t)
	good := f.sign(t, f.priv, "k1", f.claims())

	c, ran, had, err := call(f.v, "bearer "+good) // the scheme is case-insensitive
	if err != nil || !ran || !had || c.Subject != "acc-1" {
		t.Fatalf("good token: err=%v ran=%v had=%v claims=%+v", err, ran, had, c)
	}
	if _, ran, had, err := call(f.v, ""); err != nil || !ran || had {
		t.Fatalf("no token: err=%v ran=%v had=%v", err, ran, had)
	}
	if _, ran, had, err := call(f.v, "Basic dXNlcjpwdw=="); err != nil || !ran || had {
		t.Fatalf("other scheme: err=%v ran=%v had=%v", err, ran, had)
	}
	_, ran, _, err = call(f.v, "Bearer "+good[:len(good)-4]+"AAAA")
	if ran || status.Code(err) != codes.Unauthenticated || status.Convert(err).Message() != usertoken.InvalidMessage {
		t.Fatalf("bad token: ran=%v err=%v", ran, err)
	}
	if _, ran, had, err := call(nil, "Bearer "+good); err != nil || !ran || had {
		t.Fatalf("nil verifier: err=%v ran=%v had=%v", err, ran, had)
	}
}

func TestInterceptorKeySourceDownIsUnavailable(t *testing.T) {
	f := newFixture(t)
	f.keys.down.Store(true)
	_, ran, _, err := call(f.v, "Bearer "+f.sign(t, f.priv, "k1", f.claims()))
	if ran || status.Code(err) != codes.Unavailable {
		t.Fatalf("ran=%v err=%v, want Unavailable", ran, err)
	}
}

func TestHTTPKeySource(t *testing.T) {
	f := newFixture(t)
	jwks, err := f.keys.source(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/jwks.json":
			_, _ = w.Write(jwks)
		case "/huge":
			_, _ = w.Write([]byte(strings.Repeat(" ", 1<<20+1)))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	v := usertoken.NewVerifier(usertoken.VerifierOptions{Keys: usertoken.HTTPKeySource(srv.Client(), srv.URL+"/jwks.json"),
		Now: f.clock.now})
	if _, err := v.Verify(context.Background(), f.sign(t, f.priv, "k1", f.claims())); err != nil {
		t.Fatalf("verify with keys over HTTP: %v", err)
	}
	for _, path := range []string{"/missing", "/huge"} {
		if _, err := usertoken.HTTPKeySource(nil, srv.URL+path)(context.Background()); err == nil {
			t.Errorf("GET %s: no error", path)
		}
	}
}

// A BB without keys refuses a call that carries a token, naming itself, and runs one without.
func TestStrictInterceptorWithoutKeysRefusesATokenItCannotCheck(t *testing.T) {
	strict := usertoken.StrictUnaryServerInterceptor(usertoken.VerifierFor(nil, "", usertoken.DefaultIssuer), "Payments")
	ran := false
	h := func(context.Context, any) (any, error) { ran = true; return nil, nil }
	info := &grpc.UnaryServerInfo{FullMethod: "/x.Y/Z"}

	ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs("authorization", "Bearer abc"))
	_, err := strict(ctx, nil, info, h)
	if ran || status.Code(err) != codes.Unauthenticated ||
		status.Convert(err).Message() != "this Payments BB is not configured to verify user tokens (GOVSTACK_JWKS_URL)" {
		t.Fatalf("a token without keys: ran=%v err=%v", ran, err)
	}
	if _, err := strict(context.Background(), nil, info, h); err != nil || !ran {
		t.Fatalf("no token: ran=%v err=%v", ran, err)
	}
}

// With keys the strict interceptor verifies as UnaryServerInterceptor does.
func TestStrictInterceptorWithKeysVerifies(t *testing.T) {
	f := newFixture(t)
	strict := usertoken.StrictUnaryServerInterceptor(f.v, "Payments")
	var claims usertoken.Claims
	h := func(ctx context.Context, _ any) (any, error) { claims, _ = usertoken.FromContext(ctx); return nil, nil }
	ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs("authorization", "Bearer "+f.sign(t, f.priv, "k1", f.claims())))
	if _, err := strict(ctx, nil, &grpc.UnaryServerInfo{FullMethod: "/x.Y/Z"}, h); err != nil || claims.Subject != "acc-1" {
		t.Fatalf("err=%v claims=%+v", err, claims)
	}
}
