package registration_test

import (
	"context"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration"
)

func TestSignInLockout(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	bb.registerBuyer(t, "lock@moj.gov.example", goodPassword)
	signIn := func(email, pw string) error {
		_, err := bb.auth.SignIn(ctx, &registrationv1.SignInRequest{Email: email, Password: pw})
		return err
	}
	unknown := wantReason(t, signIn("nobody@moj.gov.example", "whatever-password"), codes.Unauthenticated, "INVALID_CREDENTIALS")
	for range 5 {
		st := wantReason(t, signIn("lock@moj.gov.example", "wrong-password-1"), codes.Unauthenticated, "INVALID_CREDENTIALS")
		if st.Message() != unknown.Message() {
			t.Fatal("unknown e-mail and wrong password answer differently")
		}
	}
	st := wantReason(t, signIn("LOCK@moj.gov.example", goodPassword), codes.ResourceExhausted, "ACCOUNT_LOCKED")
	var retry *errdetails.RetryInfo
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok {
			retry = ri
		}
	}
	if retry == nil || retry.GetRetryDelay().AsDuration() <= 0 || retry.GetRetryDelay().AsDuration() > time.Minute {
		t.Fatalf("RetryInfo = %v (needs platform/grpcerr RetryInfo)", retry)
	}
	bb.lastEventFor(t, "govstack.registration.v1.account.locked", "email", "lock@moj.gov.example")
	bb.clock.Advance(61 * time.Second)
	// The next failure locks for twice as long.
	wantReason(t, signIn("lock@moj.gov.example", "wrong-password-1"), codes.Unauthenticated, "INVALID_CREDENTIALS")
	wantReason(t, signIn("lock@moj.gov.example", goodPassword), codes.ResourceExhausted, "ACCOUNT_LOCKED")
	bb.clock.Advance(121 * time.Second)
	if err := signIn("lock@moj.gov.example", goodPassword); err != nil {
		t.Fatal(err)
	}
	// Success resets the count.
	wantReason(t, signIn("lock@moj.gov.example", "wrong-password-1"), codes.Unauthenticated, "INVALID_CREDENTIALS")
	if err := signIn("lock@moj.gov.example", goodPassword); err != nil {
		t.Fatal(err)
	}
}

func TestPendingAccountCannotSignIn(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	if _, err := bb.accounts.RegisterBuyer(ctx, &registrationv1.RegisterBuyerRequest{Email: "p@moj.gov.example", Name: "A Buyer", Organisation: "Ministry of Justice"}); err != nil {
		t.Fatal(err)
	}
	_, err := bb.auth.SignIn(ctx, &registrationv1.SignInRequest{Email: "p@moj.gov.example", Password: ""})
	wantReason(t, err, codes.Unauthenticated, "INVALID_CREDENTIALS")
}

func TestRefreshRotationAndReuse(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	bb.registerBuyer(t, "r@moj.gov.example", goodPassword)
	first, err := bb.auth.SignIn(ctx, &registrationv1.SignInRequest{Email: "r@moj.gov.example", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	rt1 := first.GetTokens().GetRefreshToken()
	second, err := bb.auth.Refresh(ctx, &registrationv1.RefreshRequest{RefreshToken: rt1})
	if err != nil || second.GetTokens().GetRefreshToken() == rt1 || second.GetTokens().GetAccessToken() == "" {
		t.Fatalf("refresh: %v, %v", second, err)
	}
	rt2 := second.GetTokens().GetRefreshToken()
	_, err = bb.auth.Refresh(ctx, &registrationv1.RefreshRequest{RefreshToken: rt1}) // reuse of a rotated token
	wantReason(t, err, codes.Unauthenticated, "INVALID_REFRESH_TOKEN")
	_, err = bb.auth.Refresh(ctx, &registrationv1.RefreshRequest{RefreshToken: rt2}) // its family is revoked
	wantReason(t, err, codes.Unauthenticated, "INVALID_REFRESH_TOKEN")

	third, err := bb.auth.SignIn(ctx, &registrationv1.SignInRequest{Email: "r@moj.gov.example", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bb.auth.SignOut(ctx, &registrationv1.SignOutRequest{RefreshToken: third.GetTokens().GetRefreshToken()}); err != nil {
		t.Fatal(err)
	}
	_, err = bb.auth.Refresh(ctx, &registrationv1.RefreshRequest{RefreshToken: third.GetTokens().GetRefreshToken()})
	wantReason(t, err, codes.Unauthenticated, "INVALID_REFRESH_TOKEN")
}

func TestPasswordReset(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	bb.registerBuyer(t, "reset@moj.gov.example", goodPassword)
	signed, err := bb.auth.SignIn(ctx, &registrationv1.SignInRequest{Email: "reset@moj.gov.example", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	known, err := bb.auth.RequestPasswordReset(ctx, &registrationv1.RequestPasswordResetRequest{Email: "reset@moj.gov.example"})
	if err != nil {
		t.Fatal(err)
	}
	unknown, err := bb.auth.RequestPasswordReset(ctx, &registrationv1.RequestPasswordResetRequest{Email: "reseu@moj.gov.example"})
	if err != nil || unknown.GetAccepted().GetMessage() != known.GetAccepted().GetMessage() {
		t.Fatalf("answers differ: %v / %v (%v)", known, unknown, err)
	}
	if n := len(bb.events(t, "govstack.registration.v1.account.password_reset_requested")); n != 1 {
		t.Fatalf("%d reset events", n)
	}
	token := linkToken(t, bb.lastEventFor(t, "govstack.registration.v1.account.password_reset_requested", "email", "reset@moj.gov.example"))
	_, err = bb.accounts.Activate(ctx, &registrationv1.ActivateRequest{Token: token, Password: "new-long-password-77"})
	wantReason(t, err, codes.InvalidArgument, "INVALID_TOKEN") // a reset link is not an activation link
	if _, err := bb.auth.ResetPassword(ctx, &registrationv1.ResetPasswordRequest{Token: token, Password: "new-long-password-77"}); err != nil {
		t.Fatal(err)
	}
	_, err = bb.auth.Refresh(ctx, &registrationv1.RefreshRequest{RefreshToken: signed.GetTokens().GetRefreshToken()})
	wantReason(t, err, codes.Unauthenticated, "INVALID_REFRESH_TOKEN")
	_, err = bb.auth.SignIn(ctx, &registrationv1.SignInRequest{Email: "reset@moj.gov.example", Password: goodPassword})
	wantReason(t, err, codes.Unauthenticated, "INVALID_CREDENTIALS")
	bb.signIn(t, "reset@moj.gov.example", "new-long-password-77")
	_, err = bb.auth.ResetPassword(ctx, &registrationv1.ResetPasswordRequest{Token: token, Password: "another-long-password"})
	wantReason(t, err, codes.InvalidArgument, "INVALID_TOKEN")
}

func TestKeyRotation(t *testing.T) {
	bb := startBBWith(t, func(c *registration.Config) { c.KeyRotation = 400 * time.Millisecond })
	first := bb.adminToken(t)
	kid1 := jwtHeader(t, first)["kid"]
	var kid2 any
	eventually(t, 10*time.Second, "a new signing key", func() error {
		kid2 = jwtHeader(t, bb.adminToken(t))["kid"]
		if kid2 == kid1 {
			return errSame
		}
		return nil
	})
	jwks, err := bb.auth.GetJWKS(context.Background(), &registrationv1.GetJWKSRequest{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, k := range jwks.GetKeys() {
		if k.GetKty() != "OKP" || k.GetCrv() != "Ed25519" || k.GetAlg() != "EdDSA" || k.GetX() == "" {
			t.Fatalf("key = %v", k)
		}
		seen[k.GetKid()] = true
	}
	if !seen[kid1.(string)] || !seen[kid2.(string)] {
		t.Fatalf("JWKS %v lacks %v or %v", jwks, kid1, kid2)
	}
	// A token signed with the old key still verifies.
	if _, err := bb.accounts.GetMe(withToken(context.Background(), first), &registrationv1.GetMeRequest{}); err != nil {
		t.Fatal(err)
	}
}

type sameErr struct{}

func (sameErr) Error() string { return "still the same key" }

var errSame = sameErr{}

// A client that still sends its expired (here: forged) access token can sign in again; other calls with it
// are refused.
func TestSignInIgnoresAStaleToken(t *testing.T) {
	bb := startBB(t)
	stale := withToken(context.Background(), "eyJhbGciOiJFZERTQSIsImtpZCI6Im5vIn0.eyJzdWIiOiJ4In0.c2ln")
	if _, err := bb.auth.SignIn(stale, &registrationv1.SignInRequest{Email: testAdminEmail, Password: testAdminPassword}); err != nil {
		t.Fatalf("sign in with a stale token: %v", err)
	}
	if _, err := bb.accounts.GetMe(stale, &registrationv1.GetMeRequest{}); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("GetMe with a stale token: %v, want Unauthenticated", err)
	}
}
