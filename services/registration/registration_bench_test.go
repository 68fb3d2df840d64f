package registration_test

import (
	"context"
	"testing"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
)

// The sign-in hot paths, through the real gRPC server on the real database (see docs/benchmarks.md):
// a sign-in (argon2id, lockout bookkeeping, refresh token, JWT), a refresh (no password hashing), and a call
// that carries an access token (EdDSA verification with cached keys, one account read).
func BenchmarkSignIn(b *testing.B) {
	bb := startBB(b)
	ctx := context.Background()
	req := &registrationv1.SignInRequest{Email: testAdminEmail, Password: testAdminPassword}
	b.ResetTimer()
	for b.Loop() {
		if _, err := bb.auth.SignIn(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRefresh(b *testing.B) {
	bb := startBB(b)
	ctx := context.Background()
	resp, err := bb.auth.SignIn(ctx, &registrationv1.SignInRequest{Email: testAdminEmail, Password: testAdminPassword})
	if err != nil {
		b.Fatal(err)
	}
	refresh := resp.GetTokens().GetRefreshToken()
	b.ResetTimer()
	for b.Loop() {
		r, err := bb.auth.Refresh(ctx, &registrationv1.RefreshRequest{RefreshToken: refresh})
		if err != nil {
			b.Fatal(err)
		}
		refresh = r.GetTokens().GetRefreshToken()
	}
}

func BenchmarkCallWithAccessToken(b *testing.B) {
	bb := startBB(b)
	ctx := withToken(context.Background(), bb.adminToken(b))
	b.ResetTimer()
	for b.Loop() {
		if _, err := bb.accounts.GetMe(ctx, &registrationv1.GetMeRequest{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCallWithoutToken(b *testing.B) {
	bb := startBB(b)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := bb.auth.GetJWKS(ctx, &registrationv1.GetJWKSRequest{}); err != nil {
			b.Fatal(err)
		}
	}
}
