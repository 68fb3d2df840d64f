package gateway

import (
	"context"
	"encoding/json"
	"github.com/govstackbb/marketplace/platform/imassert"
	"github.com/govstackbb/marketplace/platform/imident"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/usertoken"
	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
)

// JWKSPath is where the gateway publishes the keys that sign user access tokens (GOVSTACK_JWKS_URL of the
// BBs behind it). It is public: public keys are public, and a BB must be able to fetch them without an IM
// credential.
const JWKSPath = "/.well-known/jwks.json"

// jwksMaxAge is how long a client may cache the published keys. Registration publishes a new key before it
// signs with it, so a minute of caching does not refuse fresh tokens.
const jwksMaxAge = "public, max-age=60"

// retryKeys is the Retry-After advice when the keys cannot be fetched.
const retryKeys = 5 * time.Second

// jwksSource reads the Registration BB's keys with AuthService.GetJWKS on the gateway's own connection (the
// IM itself is the caller, anonymous, under its own assertion; no client rights are involved) and renders
// them as a JWKS document.
func jwksSource(conn grpc.ClientConnInterface, assert *imassert.Signer) usertoken.KeySource {
	auth := registrationv1.NewAuthServiceClient(conn)
	return func(ctx context.Context) ([]byte, error) {
		ctx, err := assert.Outgoing(ctx, registrationv1.AuthService_GetJWKS_FullMethodName, imident.Client{})
		if err != nil {
			return nil, err
		}
		resp, err := auth.GetJWKS(ctx, &registrationv1.GetJWKSRequest{})
		if err != nil {
			return nil, err
		}
		return marshalJWKS(resp)
	}
}

// jwk is one key of RFC 7517 JSON; only the members an Ed25519 signing key has.
type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Kid string `json:"kid,omitempty"`
	Alg string `json:"alg,omitempty"`
	Use string `json:"use,omitempty"`
}

func marshalJWKS(resp *registrationv1.GetJWKSResponse) ([]byte, error) {
	keys := make([]jwk, 0, len(resp.GetKeys()))
	for _, k := range resp.GetKeys() {
		keys = append(keys, jwk{Kty: k.GetKty(), Crv: k.GetCrv(), X: k.GetX(), Kid: k.GetKid(), Alg: k.GetAlg(), Use: k.GetUse()})
	}
	return json.Marshal(struct {
		Keys []jwk `json:"keys"`
	}{keys})
}

// jwksHandler publishes the keys of src with a short cache lifetime; 503 with Retry-After when the source
// cannot be read.
func jwksHandler(src usertoken.KeySource, timeout time.Duration, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		b, err := src(ctx)
		if err != nil {
			log.WarnContext(ctx, "cannot read the token signing keys", "error", err.Error())
			rest.SetRetryAfter(w, retryKeys)
			rest.WriteError(w, r, http.StatusServiceUnavailable, codes.Unavailable,
				"the token signing keys are unavailable right now; retry shortly")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", jwksMaxAge)
		_, _ = w.Write(b)
	})
}

// verifyUserTokens checks the access token of a REST request that carries one (Authorization: Bearer)
// before it reaches a BB: an invalid or expired token is a 401 here rather than a call the BB refuses, and
// 503 when the keys cannot be fetched. A valid token is forwarded unchanged (the BB verifies it again,
// because a BB may also be deployed without this gateway). Requests without a token pass; a nil v turns the
// check off (no Registration BB behind this gateway).
func verifyUserTokens(v *usertoken.Verifier, log *slog.Logger, next http.Handler) http.Handler {
	if v == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r)
		if !ok || tokenFree(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if _, err := v.Verify(r.Context(), token); err != nil {
			st := usertoken.StatusOf(err)
			switch st.Code() {
			case codes.Unauthenticated:
				w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			case codes.Unavailable:
				log.WarnContext(r.Context(), "cannot check a user token", "error", err.Error())
				rest.SetRetryAfter(w, retryKeys)
			}
			rest.WriteError(w, r, runtime.HTTPStatusFromCode(st.Code()), st.Code(), st.Message())
			return
		}
		next.ServeHTTP(w, r)
	})
}

// tokenFreePaths end the paths of Registration's sign-in calls, which must work while the client still sends
// its expired token (they ignore it; so does the BB). Matched as suffixes, so /r1/… addresses match too.
var tokenFreePaths = []string{"/auth/token", "/auth/refresh", "/auth/sign-out", "/auth/password-reset",
	"/auth/password-reset/confirm", "/.well-known/jwks.json"}

func tokenFree(path string) bool {
	for _, p := range tokenFreePaths {
		if strings.HasSuffix(path, p) {
			return true
		}
	}
	return false
}

func bearer(r *http.Request) (string, bool) {
	for _, h := range r.Header.Values("Authorization") {
		if t, ok := usertoken.ParseBearer(h); ok {
			return t, true
		}
	}
	return "", false
}
