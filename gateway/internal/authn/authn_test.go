package authn

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/platform/imident"
)

var (
	alice = imident.Client{Instance: "EE", Class: "GOV", Member: "1", Subsystem: "alice"}
	bob   = imident.Client{Instance: "EE", Class: "GOV", Member: "2", Subsystem: "bob"}
)

// keyring is a registry stand-in: keys and certificate fingerprints issued to clients.
type keyring struct {
	keys, certs map[string]imident.Client
	down        bool
}

func (k keyring) AuthenticateAPIKey(_ context.Context, key string) (imident.Client, error) {
	return k.lookup(k.keys, key)
}

func (k keyring) ClientForCertificate(_ context.Context, fp string) (imident.Client, error) {
	return k.lookup(k.certs, fp)
}

func (k keyring) lookup(m map[string]imident.Client, s string) (imident.Client, error) {
	if k.down {
		return imident.Client{}, errors.New("connection refused")
	}
	if c, ok := m[s]; ok {
		return c, nil
	}
	return imident.Client{}, ErrUnknownCredential
}

func TestMiddleware(t *testing.T) {
	cert := []byte("alice's certificate DER")
	ring := keyring{keys: map[string]imident.Client{"alice-key": alice}, certs: map[string]imident.Client{Fingerprint(cert): alice}}
	cases := []struct {
		name       string
		trust      bool
		down       bool
		claim, key string
		cert       []byte
		wantStatus int
		wantClient imident.Client
		wantMsg    string
	}{
		{name: "anonymous", wantStatus: 200},
		{name: "key alone proves the client", key: "alice-key", wantStatus: 200, wantClient: alice},
		{name: "claim matching the key", claim: alice.String(), key: "alice-key", wantStatus: 200, wantClient: alice},
		{name: "claim naming another client", claim: bob.String(), key: "alice-key", wantStatus: 403, wantMsg: "was issued to EE/GOV/1/alice"},
		{name: "unknown key", key: "nope", wantStatus: 401, wantMsg: "not a valid IM API key"},
		{name: "claim without proof", claim: bob.String(), wantStatus: 401, wantMsg: "is a claim, not proof"},
		{name: "claim trusted in dev mode", trust: true, claim: bob.String(), wantStatus: 200, wantClient: bob},
		{name: "dev mode still checks a key", trust: true, claim: bob.String(), key: "alice-key", wantStatus: 403},
		{name: "malformed claim", claim: "not-a-client", wantStatus: 400},
		{name: "client certificate", cert: cert, wantStatus: 200, wantClient: alice},
		{name: "certificate against another claim", cert: cert, claim: bob.String(), wantStatus: 403},
		{name: "unregistered certificate", cert: []byte("other"), wantStatus: 401, wantMsg: "not registered"},
		{name: "registry down", down: true, key: "alice-key", wantStatus: 503, wantMsg: "retry"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ring.down = tc.down
			var got imident.Client
			var sawKey string
			h := Middleware(ring, Options{TrustClientHeader: tc.trust}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got, _ = imident.FromContext(r.Context())
				sawKey = r.Header.Get(APIKeyHeader)
			}))
			r := httptest.NewRequest(http.MethodGet, "/x", nil)
			if tc.claim != "" {
				r.Header.Set(imident.HeaderNames[0], tc.claim)
			}
			if tc.key != "" {
				r.Header.Set(APIKeyHeader, tc.key)
			}
			if tc.cert != nil {
				r.TLS = &tls.ConnectionState{PeerCertificates: []*x509.Certificate{{Raw: tc.cert}}}
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.wantStatus, w.Body)
			}
			if got != tc.wantClient {
				t.Errorf("client %v, want %v", got, tc.wantClient)
			}
			if sawKey != "" {
				t.Error("the API key reached the next handler")
			}
			if !strings.Contains(w.Body.String(), tc.wantMsg) {
				t.Errorf("body %s does not say %q", w.Body, tc.wantMsg)
			}
		})
	}
}
