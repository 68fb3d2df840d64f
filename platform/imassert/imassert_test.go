package imassert

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/jwks"
)

const readRecord = "/govstack.registries.v1.RegistriesService/ReadRecord"

var portal = imident.Client{Instance: "GOVSTACK", Class: "GOV", Member: "70000001", Subsystem: "portal"}

func newSigner(t *testing.T) *Signer {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestVerifyAcceptsOnlyTheIMsAssertionForTheMethod(t *testing.T) {
	im, other := newSigner(t), newSigner(t)
	v := NewVerifier(jwks.Static(im.PublicKeys()))
	ctx := context.Background()
	good, err := im.Sign(Assertion{Client: portal, Method: readRecord, PersonalData: true})
	if err != nil {
		t.Fatal(err)
	}
	a, err := v.Verify(ctx, good, readRecord)
	if err != nil || a.Client != portal || !a.PersonalData {
		t.Fatalf("Verify = %+v, %v", a, err)
	}
	forged, _ := other.Sign(Assertion{Client: portal, Method: readRecord})
	im.now = func() time.Time { return time.Now().Add(-2 * time.Minute) }
	expired, _ := im.Sign(Assertion{Client: portal, Method: readRecord})
	for name, c := range map[string]struct{ token, method string }{
		"another method": {good, "/govstack.registries.v1.RegistriesService/DeleteRecord"},
		"another key":    {forged, readRecord},
		"expired":        {expired, readRecord},
		"not a JWS":      {"x.y.z", readRecord},
	} {
		if _, err := v.Verify(ctx, c.token, c.method); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

// The interceptor refuses a direct call, and serves a call through the IM with the identity and the
// personal-data right the assertion names — not the ones a caller put beside it.
func TestInterceptorTrustsOnlyTheAssertion(t *testing.T) {
	im := newSigner(t)
	icpt := UnaryServerInterceptor(NewVerifier(jwks.Static(im.PublicKeys())))
	var seen metadata.MD
	handler := func(ctx context.Context, _ any) (any, error) {
		seen, _ = metadata.FromIncomingContext(ctx)
		return "ok", nil
	}
	call := func(method string, md metadata.MD) error {
		_, err := icpt(metadata.NewIncomingContext(context.Background(), md), nil, &grpc.UnaryServerInfo{FullMethod: method}, handler)
		return err
	}
	spoofed := metadata.Pairs("x-govstack-client", "GOVSTACK/GOV/ADMIN/console", imident.PersonalDataMetadataKey, imident.PersonalDataGranted)
	if err := call(readRecord, spoofed); status.Code(err) != codes.Unauthenticated || !strings.Contains(err.Error(), "Information Mediator") {
		t.Fatalf("a direct call: %v, want Unauthenticated naming the IM", err)
	}
	ctx, err := im.Outgoing(context.Background(), readRecord, portal)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := metadata.FromOutgoingContext(ctx)
	md := metadata.Join(out, spoofed)
	if err := call(readRecord, md); err != nil {
		t.Fatal(err)
	}
	if got := seen.Get("x-govstack-client"); len(got) != 1 || got[0] != portal.String() {
		t.Errorf("identity seen by the BB = %v, want only %s", got, portal)
	}
	if got := seen.Get(imident.PersonalDataMetadataKey); len(got) != 0 {
		t.Errorf("personal-data right seen by the BB = %v; the IM did not vouch for it", got)
	}
	ctx, _ = im.Outgoing(imident.WithPersonalDataRight(context.Background()), readRecord, portal)
	out, _ = metadata.FromOutgoingContext(ctx)
	if err := call(readRecord, out); err != nil || len(seen.Get(imident.PersonalDataMetadataKey)) != 1 {
		t.Errorf("vouched personal-data right: %v, seen %v", err, seen)
	}
	if err := call("/grpc.health.v1.Health/Check", nil); err != nil {
		t.Errorf("health without an assertion: %v", err)
	}
}

func TestUnreadableKeysAreUnavailable(t *testing.T) {
	im := newSigner(t)
	icpt := UnaryServerInterceptor(NewVerifier(func(context.Context) ([]byte, error) { return nil, errors.New("connection refused") }))
	ctx, _ := im.Outgoing(context.Background(), readRecord, portal)
	out, _ := metadata.FromOutgoingContext(ctx)
	_, err := icpt(metadata.NewIncomingContext(context.Background(), out), nil, &grpc.UnaryServerInfo{FullMethod: readRecord},
		func(context.Context, any) (any, error) { return nil, nil })
	if status.Code(err) != codes.Unavailable {
		t.Errorf("keys unreadable: %v, want Unavailable", err)
	}
}
