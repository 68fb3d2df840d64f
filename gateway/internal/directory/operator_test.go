package directory_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
)

const portalPath = "/api/v1/clients/GOVSTACK:GOV:70000001:portal"

func TestAPIKeysViaTheAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	var issued struct{ ID, Key, Client string }
	r := e.do("POST", portalPath+"/apikeys", admin, nil)
	e.expect(r, 201, "cannot show it again")
	r.json(t, &issued)
	if r.header.Get("Cache-Control") != "no-store" || issued.Client != portal.String() {
		t.Fatalf("issue = %+v %v", issued, r.header)
	}
	if c, err := e.store.AuthenticateAPIKey(ctx, issued.Key); err != nil || c != portal {
		t.Fatalf("issued key: %v %v", c, err)
	}
	r = e.do("GET", portalPath+"/apikeys", admin, nil)
	e.expect(r, 200, issued.ID)
	if issued.Key == "" || strings.Contains(r.body, issued.Key) {
		t.Fatal("the key is shown again")
	}
	e.expect(e.do("DELETE", portalPath+"/apikeys/"+issued.ID, admin, nil), 204)
	if _, err := e.store.AuthenticateAPIKey(ctx, issued.Key); err == nil {
		t.Fatal("revoked key still works")
	}
	e.expect(e.do("POST", "/api/v1/clients/GOVSTACK:GOV:NOBODY:x/apikeys", admin, nil), 404, "register it first")
	e.expect(e.do("POST", "/api/v1/clients/not-a-client/apikeys", admin, nil), 400, "INSTANCE:CLASS:MEMBER:SUBSYSTEM")
	e.expect(e.do("POST", "/api/v1/clients/GOVSTACK%2FGOV%2F70000001%2Fportal/apikeys", admin, nil), 201) // slash form
	e.expect(e.do("PUT", "/api/v1/clients/GOVSTACK:GOV:NEW:app", admin, `{"memberName":"New"}`), 200)
	e.expect(e.do("POST", "/api/v1/clients/GOVSTACK:GOV:NEW:app/apikeys", admin, nil), 201)
}

func TestCertificatesViaTheAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	der := selfSigned(t)
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	fp := registry.Fingerprint(der)
	e.expect(e.do("POST", portalPath+"/certificates", admin, map[string]string{"certificate": pemText}), 201, fp)
	if c, err := e.store.ClientForCertificate(context.Background(), fp); err != nil || c != portal {
		t.Fatalf("ClientForCertificate: %v %v", c, err)
	}
	e.expect(e.do("GET", portalPath+"/certificates", admin, nil), 200, fp)
	e.expect(e.do("POST", "/api/v1/clients/GOVSTACK:GOV:70000002:app/certificates", admin, map[string]string{"fingerprint": fp}), 409)
	e.expect(e.do("POST", portalPath+"/certificates", admin, map[string]string{"certificate": "junk"}), 400, "PEM")
	e.expect(e.do("POST", portalPath+"/certificates", admin, map[string]string{}), 400, "either")
	e.expect(e.do("DELETE", portalPath+"/certificates/"+fp, admin, nil), 204)
	if _, err := e.store.ClientForCertificate(context.Background(), fp); err == nil {
		t.Fatal("revoked certificate still accepted")
	}
}

func TestRolesViaTheAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expect(e.do("GET", "/api/v1/status", portal, nil), 403)
	e.expect(e.do("PUT", portalPath+"/roles/admin", admin, nil), 204)
	e.expect(e.do("GET", "/api/v1/status", portal, nil), 200)
	e.expect(e.do("PUT", portalPath+"/roles/root", admin, nil), 400, "unknown role")
	e.expect(e.do("DELETE", portalPath+"/roles/admin", admin, nil), 204)
	e.expect(e.do("GET", "/api/v1/status", portal, nil), 403)
}

func selfSigned(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "portal"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(t, err)
	return der
}
