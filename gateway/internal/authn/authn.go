// Package authn authenticates the callers of the Information Mediator. The client identity header
// (X-GovStack-Client and its older spellings) is a claim; the proof is a TLS client certificate or an IM API
// key registered for that client. A claim that does not match the credential is refused. In development mode
// (loopback only) the claim is trusted without proof, so a newcomer's first curl and the GovStack test
// suites, which send only the header, work against a local gateway.
package authn

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/govstackbb/marketplace/gateway/internal/msglog"
	"github.com/govstackbb/marketplace/gateway/internal/ratelimit"
	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/imident"
	"google.golang.org/grpc/codes"
)

// APIKeyHeader carries an IM API key. It is not Authorization: that header is left for end-user tokens
// (the Registration BB's), which a BB verifies itself.
const APIKeyHeader = "X-GovStack-Api-Key"

// ErrUnknownCredential is what a Credentials lookup returns for a key or certificate that is not registered
// or has been revoked; any other error is an outage of the registry.
var ErrUnknownCredential = errors.New("unknown or revoked credential")

// Credentials resolves credentials to the client they were issued to (the IM service registry).
type Credentials interface {
	AuthenticateAPIKey(ctx context.Context, key string) (imident.Client, error)
	ClientForCertificate(ctx context.Context, fingerprint string) (imident.Client, error)
}

// Options configure the middleware.
type Options struct {
	// TrustClientHeader accepts the identity header without a credential: development only. The gateway
	// refuses to start with it on a non-loopback listener.
	TrustClientHeader bool
	// Failures limits failed authentications per source address (a wrong API key, an unknown certificate,
	// an unproven claim): beyond it an address is answered 429 before its credential is looked up, so a
	// burst of guesses neither costs a database transaction each nor goes on for ever. nil: no limit.
	Failures *ratelimit.Limiter
}

// Middleware authenticates each request and puts the client in the context (imident.NewContext). It runs
// after rest.NormaliseIdentity, so the claim is in imident.HeaderNames[0]. A request with neither claim nor
// credential goes on anonymously; what an anonymous caller may do is decided further in.
func Middleware(creds Credentials, o Options, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := ratelimit.AddressKey(r)
		if blocked, wait := o.Failures.Blocked(addr); blocked {
			rest.SetRetryAfter(w, wait)
			rest.WriteError(w, r, http.StatusTooManyRequests, codes.ResourceExhausted,
				"too many failed authentication attempts from this address; retry after "+
					strconv.Itoa(rest.RetryAfterSeconds(wait))+" s")
			return
		}
		client, err := authenticate(r, creds, o)
		if err != nil {
			if failedAuthentication(err) {
				o.Failures.Allow(addr)
			}
			writeAuthError(w, r, err)
			return
		}
		r.Header.Del(APIKeyHeader) // the key proves identity to the IM only; no BB ever sees it
		if client.IsZero() {
			next.ServeHTTP(w, r)
			return
		}
		r.Header.Set(imident.HeaderNames[0], client.String())
		rest.InfoFrom(r.Context()).Client = client.String()
		msglog.AnnotateClient(r.Context(), client) // the message log is mounted outside authentication
		next.ServeHTTP(w, r.WithContext(imident.NewContext(r.Context(), client)))
	})
}

// authError is a refusal with its HTTP status.
type authError struct {
	status int
	code   codes.Code
	msg    string
}

func (e *authError) Error() string { return e.msg }

func unauthenticated(msg string) error {
	return &authError{status: http.StatusUnauthorized, code: codes.Unauthenticated, msg: msg}
}

func forbidden(msg string) error {
	return &authError{status: http.StatusForbidden, code: codes.PermissionDenied, msg: msg}
}

// claim is what a caller says and shows: the identity it names, and the credential it presents.
type claim struct {
	client  imident.Client
	claimed bool
	apiKey  string
	certDER []byte // leaf client certificate, when the caller connected with one
}

func fromRequest(r *http.Request) (claim, error) {
	c, claimed, err := imident.FromHTTP(r.Header)
	if err != nil {
		return claim{}, &authError{status: http.StatusBadRequest, code: codes.InvalidArgument, msg: err.Error()}
	}
	cl := claim{client: c, claimed: claimed, apiKey: strings.TrimSpace(r.Header.Get(APIKeyHeader))}
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		cl.certDER = r.TLS.PeerCertificates[0].Raw
	}
	return cl, nil
}

func authenticate(r *http.Request, creds Credentials, o Options) (imident.Client, error) {
	cl, err := fromRequest(r)
	if err != nil {
		return imident.Client{}, err
	}
	return check(r.Context(), cl, creds, o)
}

// check decides who the caller is: the credential's client, the trusted claim in development mode, or
// nobody (anonymous). A claim that the credential contradicts, or an unproven claim, is refused.
func check(ctx context.Context, cl claim, creds Credentials, o Options) (imident.Client, error) {
	proven, how, err := fromCredential(ctx, cl, creds)
	if err != nil {
		return imident.Client{}, err
	}
	switch {
	case how != "" && cl.claimed && cl.client != proven:
		return imident.Client{}, forbidden(imident.HeaderNames[0] + " names " + cl.client.String() + " but the " + how +
			" was issued to " + proven.String() + "; send the identity the credential belongs to (or omit the header)")
	case how != "":
		return proven, nil
	case cl.claimed && o.TrustClientHeader:
		return cl.client, nil
	case cl.claimed:
		return imident.Client{}, unauthenticated(imident.HeaderNames[0] + " is a claim, not proof: authenticate as " +
			cl.client.String() + " with a client certificate or the " + APIKeyHeader + " header")
	}
	return imident.Client{}, nil
}

// fromCredential returns the client a credential belongs to and what the credential was, or "" when the
// caller presented none.
func fromCredential(ctx context.Context, cl claim, creds Credentials) (imident.Client, string, error) {
	if cl.apiKey != "" {
		c, err := creds.AuthenticateAPIKey(ctx, cl.apiKey)
		return c, "API key", lookupError(err, "the "+APIKeyHeader+" is not a valid IM API key (unknown or revoked)")
	}
	if cl.certDER != nil {
		c, err := creds.ClientForCertificate(ctx, Fingerprint(cl.certDER))
		return c, "client certificate", lookupError(err, "the client certificate is not registered with the IM (or was revoked)")
	}
	return imident.Client{}, "", nil
}

func lookupError(err error, unknown string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrUnknownCredential):
		return unauthenticated(unknown)
	default:
		return &authError{status: http.StatusServiceUnavailable, code: codes.Unavailable,
			msg: "the IM cannot check credentials right now; retry shortly"}
	}
}

// Fingerprint is how a client certificate is registered: the hex SHA-256 of its DER encoding.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// failedAuthentication reports a refusal of who the caller is (401 or 403), not a malformed request or the
// registry being away.
func failedAuthentication(err error) bool {
	var ae *authError
	return errors.As(err, &ae) && (ae.status == http.StatusUnauthorized || ae.status == http.StatusForbidden)
}

func writeAuthError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *authError
	if !errors.As(err, &ae) {
		ae = &authError{status: http.StatusInternalServerError, code: codes.Internal, msg: "authentication failed"}
	}
	if ae.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `GovStack-Api-Key realm="govstack-im"`)
	}
	rest.WriteError(w, r, ae.status, ae.code, ae.msg)
}
