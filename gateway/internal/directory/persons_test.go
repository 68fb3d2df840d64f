package directory_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/directory"
	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/jwks"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/jackc/pgx/v5"
)

// people signs access tokens as Registration would, and verifies them as the gateway does.
type people struct {
	key      ed25519.PrivateKey
	verifier *usertoken.Verifier
}

func newPeople(t *testing.T) *people {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	must(t, err)
	v := usertoken.NewVerifier(usertoken.VerifierOptions{Keys: jwks.Static(map[string]ed25519.PublicKey{"k1": pub})})
	return &people{key: priv, verifier: v}
}

func (p *people) token(t *testing.T, roles ...string) string {
	t.Helper()
	tok, err := usertoken.Sign(p.key, "k1", usertoken.Claims{Subject: "acc-1", Email: "admin@example.org", Roles: roles}, time.Minute)
	must(t, err)
	return tok
}

// The portal acts for a signed-in administrator (ADR 0016): with an admin's token it may use the IM's
// administration APIs; without one, with another person's, or as another client it may not; a bad token is
// a 401.
func TestPortalActsForAnAdministrator(t *testing.T) {
	t.Parallel()
	p := newPeople(t)
	e := newEnvWith(t, func(h *directory.Handler) { h.Portals, h.Persons = []imident.Client{portal}, p.verifier })
	adminToken, citizenToken := p.token(t, "admin"), p.token(t, "citizen")

	e.expect(e.doFor("GET", "/api/v1/config", portal, adminToken, nil), 200)
	e.expect(e.doFor("GET", "/api/v1/config", portal, "", nil), 403, "is not an IM admin")
	e.expect(e.doFor("GET", "/api/v1/config", portal, citizenToken, nil), 403, "is not an IM admin")
	e.expect(e.doFor("GET", "/api/v1/config", other, adminToken, nil), 403, "is not an IM admin")
	r := e.doFor("GET", "/api/v1/config", portal, adminToken+"x", nil)
	e.expect(r, 401)
	if !strings.Contains(r.header.Get("WWW-Authenticate"), "invalid_token") {
		t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
	}

	grant := []map[string]any{{"memberClass": "GOV", "memberCode": "GOVSTACK", "applicationId": "registries", "serviceId": "registries",
		"rights": []map[string]any{{"memberClass": "GOV", "memberCode": "70000002", "applicationId": "app", "endpoints": []string{readRecord}}}}}
	e.expect(e.doFor("PATCH", "/api/v1/rights/allow", portal, citizenToken, grant), 403)
	if e.allowed(other, readRecord) {
		t.Fatal("a citizen's token granted a right")
	}
	e.expect(e.doFor("PATCH", "/api/v1/rights/allow", portal, adminToken, grant), 200)
	if !e.allowed(other, readRecord) {
		t.Fatal("the administrator's grant through the portal did not take")
	}
	e.expect(e.doFor("GET", "/api/v1/rights/allow", portal, adminToken, nil), 200, `"memberCode":"70000002"`)
	e.expect(e.doFor("PATCH", "/api/v1/rights/deny", portal, adminToken, grant), 200)
	if e.allowed(other, readRecord) {
		t.Fatal("the administrator's revocation through the portal did not take")
	}
}

// Without a verifier (no Registration behind the gateway) a portal's token grants nothing.
func TestNoDelegationWithoutAVerifier(t *testing.T) {
	t.Parallel()
	p := newPeople(t)
	e := newEnvWith(t, func(h *directory.Handler) { h.Portals = []imident.Client{portal} })
	e.expect(e.doFor("GET", "/api/v1/config", portal, p.token(t, "admin"), nil), 403, "is not an IM admin")
}

// A change an administrator makes through the portal is audited as the portal acting for their account.
func TestPortalChangesAreAuditedWithThePerson(t *testing.T) {
	t.Parallel()
	p := newPeople(t)
	var actors []string
	audit := func(_ context.Context, _ pgx.Tx, actor, _, _ string, _ any) error {
		actors = append(actors, actor)
		return nil
	}
	store := registry.New(pgtest.NewPool(t, registry.Migrations()), audit)
	must(t, store.RegisterSubsystem(context.Background(), portal))
	actors = nil // the set-up's own change
	mux := http.NewServeMux()
	(&directory.Handler{Store: store, Instance: "GOVSTACK", Portals: []imident.Client{portal}, Persons: p.verifier}).Register(mux)
	e := &env{t: t, store: store, mux: mux}
	e.expect(e.doFor("PUT", "/api/v1/groups/partners", portal, p.token(t, "admin"), nil), 204)
	if len(actors) != 1 || actors[0] != portal.String()+" for account acc-1" {
		t.Fatalf("audited actors %q", actors)
	}
}
