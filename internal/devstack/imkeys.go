package devstack

// The stack's IM credentials: the assertions its IM signs, the API keys it issues, the user-token keys its BBs
// verify with.

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/platform/imassert"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/jwks"
	"github.com/govstackbb/marketplace/platform/pgstore"
	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration"
)

// assertionVerifier checks, in every BB of the stack, that a call came through this stack's IM: as in
// production, a direct call to a BB's port is refused.
func (s *Stack) assertionVerifier() *imassert.Verifier {
	pub := s.assertKey.Public().(ed25519.PublicKey)
	return imassert.NewVerifier(jwks.Static(map[string]ed25519.PublicKey{imassert.KeyID(pub): pub}))
}

// SignedByIM returns ctx carrying the assertion this stack's IM would sign for a call of method by client:
// for benchmarks and tests that call a BB's port directly and must get past the check a direct call fails.
func (s *Stack) SignedByIM(ctx context.Context, method string, client imident.Client) (context.Context, error) {
	signer, err := imassert.NewSigner(s.assertKey)
	if err != nil {
		return ctx, err
	}
	if !client.IsZero() {
		ctx = imident.AppendToOutgoing(ctx, client)
	}
	return signer.Outgoing(ctx, method, client)
}

// bbAPIKey is the IM API key a BB calls other BBs with: none in development mode (identity headers are
// trusted), otherwise a fresh key for the BB's client, as an operator would issue with `gateway issue-key`.
func (s *Stack) bbAPIKey(ctx context.Context, client string) (string, error) {
	if s.cfg.DevMode {
		return "", nil
	}
	c, err := imident.Parse(client)
	if err != nil {
		return "", fmt.Errorf("IM client %q: %w", client, err)
	}
	return s.IssueAPIKey(ctx, c, false)
}

// tokenKeys is the Registration BB's JWKS, read from the BB in this process, for the BBs that verify user
// tokens. It is looked up per fetch, so BBs built before Registration can use it.
func (s *Stack) tokenKeys(ctx context.Context) ([]byte, error) {
	for _, rb := range s.bbs {
		if rb.def.name == registration.Name && rb.conn != nil {
			// The BB answers only the IM: sign the call as the gateway signs its own (anonymous) key fetch.
			ctx, err := s.SignedByIM(ctx, registrationv1.AuthService_GetJWKS_FullMethodName, imident.Client{})
			if err != nil {
				return nil, err
			}
			resp, err := registrationv1.NewAuthServiceClient(rb.conn).GetJWKS(ctx, &registrationv1.GetJWKSRequest{})
			if err != nil {
				return nil, fmt.Errorf("registration GetJWKS: %w", err)
			}
			return protojson.Marshal(resp)
		}
	}
	return nil, errors.New("the registration BB is not running in this stack: user tokens cannot be verified")
}

// IssueAPIKey issues an IM API key for client (an admin's, when admin is set), as `gateway issue-key` does.
func (s *Stack) IssueAPIKey(ctx context.Context, client imident.Client, admin bool) (string, error) {
	gcfg := s.cfg.Config
	key, _, err := gateway.IssueAPIKey(ctx, gcfg, s.gwPool, client, admin)
	return key, err
}

// VerifyLog checks the gateway's message and audit logs, as `gateway verify-log` does.
func (s *Stack) VerifyLog(ctx context.Context, out io.Writer) error {
	return gateway.VerifyLog(ctx, s.cfg.Config, s.gwPool, s.js, out)
}

// IssueAdminKey issues an IM admin API key for client on the database of a stack configured by cfg —
// running or not, as `gateway admin-key` does for a gateway — so that a newcomer who runs `govstack dev`
// out of development mode can make a first request.
func IssueAdminKey(ctx context.Context, cfg Config, client imident.Client) (string, error) {
	dbURL, err := withDatabase(cfg.DatabaseURL, cfg.DatabasePrefix+gateway.Name)
	if err != nil {
		return "", err
	}
	pool, err := pgstore.Open(ctx, dbURL)
	if err != nil {
		return "", err
	}
	defer pool.Close()
	if err := pgstore.Migrate(ctx, pool, gateway.Migrations()...); err != nil {
		return "", err
	}
	key, _, err := gateway.IssueAPIKey(ctx, cfg.Config, pool, client, true)
	return key, err
}
