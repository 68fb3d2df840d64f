package registry_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/platform/imident"
)

// model is the rights matrix computed independently of the store's SQL: plain sets in Go.
type model struct {
	grants  map[grant]bool
	groups  map[string]map[imident.Client]bool // group → members; "all" holds everyone implicitly
	enabled map[string]bool                    // service key → enabled; absent = not registered
}

type grant struct {
	subject  string // client String() or "group:<code>"
	service  string // ServiceRef String()
	endpoint string
}

func (m *model) allowed(c imident.Client, svc registry.ServiceRef, endpoint string) bool {
	if !m.enabled[svc.String()] {
		return false
	}
	subjects := []string{c.String(), "group:" + registry.GroupAll, "group:" + registry.GroupDevMode}
	for g, members := range m.groups {
		if members[c] {
			subjects = append(subjects, "group:"+g)
		}
	}
	for _, sub := range subjects {
		for _, e := range []string{endpoint, registry.Everything} {
			if m.grants[grant{sub, svc.String(), e}] {
				return true
			}
		}
	}
	return false
}

type fixture struct {
	clients   []imident.Client // registered
	stranger  imident.Client   // authenticated but never registered: only "all" grants reach it
	services  []registry.ServiceRef
	endpoints map[string][]string // service key → its methods, plus one foreign endpoint
	model     *model
}

// setUp registers three providers' services (one to be disabled, one never registered), five clients
// (two in group "partners") and an initial set of grants covering every kind of decision.
func setUp(t *testing.T, ctx context.Context, s *registry.Store) *fixture {
	f := &fixture{endpoints: map[string][]string{}, model: &model{
		grants: map[grant]bool{}, groups: map[string]map[imident.Client]bool{}, enabled: map[string]bool{}}}
	for i := range 5 {
		c := client(fmt.Sprintf("GOVSTACK/GOV/CLIENT%d/app", i))
		must(t, s.RegisterSubsystem(ctx, c))
		f.clients = append(f.clients, c)
	}
	for _, def := range []struct{ provider, code, bb string }{
		{"GOVSTACK/GOV/GOVSTACK/registries", "registries", "registries"},
		{"GOVSTACK/GOV/GOVSTACK/payments", "payments", "payments"},
		{"GOVSTACK/COM/ACME/billing", "invoices", ""},
	} {
		svc := registry.Service{Provider: client(def.provider), Code: def.code, BB: def.bb, Enabled: true}
		for _, m := range []string{"Read", "Create", "Delete"} {
			svc.Methods = append(svc.Methods, registry.Method{FullName: "/govstack." + def.code + ".v1.Service/" + m, HTTPMethod: "POST", Path: "/" + m})
		}
		must(t, s.EnsureService(ctx, svc))
		ref := svc.Ref()
		f.services = append(f.services, ref)
		f.model.enabled[ref.String()] = true
		for _, m := range svc.Methods {
			f.endpoints[ref.String()] = append(f.endpoints[ref.String()], m.FullName)
		}
	}
	f.stranger = client("GOVSTACK/GOV/STRANGER/app")
	ghost := registry.ServiceRef{Provider: client("GOVSTACK/GOV/GOVSTACK/ghost"), Code: "ghost"}
	f.services = append(f.services, ghost)
	f.endpoints[ghost.String()] = []string{"/govstack.ghost.v1.Service/Read"}
	for k := range f.endpoints { // an endpoint no service has, to be sure "*" is not treated as a wildcard pattern
		f.endpoints[k] = append(f.endpoints[k], "/govstack.other.v1.Service/Read")
	}
	must(t, s.CreateGroup(ctx, "partners", "trusted partners"))
	f.model.groups["partners"] = map[imident.Client]bool{}
	for _, c := range f.clients[1:3] {
		must(t, s.AddGroupMember(ctx, "partners", c))
		f.model.groups["partners"][c] = true
	}
	reg, pay, inv := f.services[0], f.services[1], f.services[2]
	f.allow(t, ctx, s, registry.Subject{Client: f.clients[0]}, reg, f.endpoints[reg.String()][0]) // one endpoint
	f.allow(t, ctx, s, registry.Subject{Client: f.clients[0]}, pay, registry.Everything)          // whole service
	f.allow(t, ctx, s, registry.Subject{Group: "partners"}, reg, registry.Everything)             // via group
	f.allow(t, ctx, s, registry.Subject{Group: registry.GroupAll}, pay, f.endpoints[pay.String()][1])
	f.allow(t, ctx, s, registry.Subject{Client: f.clients[3]}, inv, registry.Everything)
	f.allow(t, ctx, s, registry.Subject{Client: f.clients[4]}, reg, registry.Everything)
	f.revoke(t, ctx, s, registry.Subject{Client: f.clients[4]}, reg, registry.Everything) // revoked
	f.allow(t, ctx, s, registry.Subject{Client: f.clients[1]}, inv, registry.Everything)
	f.setEnabled(t, ctx, s, inv, false) // service disabled: its grants must not count
	return f
}

func (f *fixture) allow(t *testing.T, ctx context.Context, s *registry.Store, sub registry.Subject, svc registry.ServiceRef, e string) {
	t.Helper()
	must(t, s.Allow(ctx, sub, svc, e))
	f.model.grants[grant{sub.String(), svc.String(), e}] = true
}

func (f *fixture) revoke(t *testing.T, ctx context.Context, s *registry.Store, sub registry.Subject, svc registry.ServiceRef, e string) {
	t.Helper()
	must(t, s.Revoke(ctx, sub, svc, e))
	delete(f.model.grants, grant{sub.String(), svc.String(), e})
}

func (f *fixture) setEnabled(t *testing.T, ctx context.Context, s *registry.Store, svc registry.ServiceRef, on bool) {
	t.Helper()
	must(t, s.SetServiceEnabled(ctx, svc.Provider, svc.Code, on))
	f.model.enabled[svc.String()] = on
}

// verify walks every client × service × endpoint and returns the wrong allows and wrong denies.
func (f *fixture) verify(t *testing.T, ctx context.Context, s *registry.Store) (checks, wrongAllows, wrongDenies int) {
	t.Helper()
	for _, c := range append(slices.Clone(f.clients), f.stranger) {
		for _, svc := range f.services {
			for _, e := range f.endpoints[svc.String()] {
				d, err := s.Check(ctx, c, svc.Provider, svc.Code, e)
				must(t, err)
				want := f.model.allowed(c, svc, e)
				checks++
				switch {
				case d.Allowed && !want:
					wrongAllows++
					t.Errorf("WRONG ALLOW: %s → %s %s (%s)", c, svc, e, d.Reason)
				case !d.Allowed && want:
					wrongDenies++
					t.Errorf("WRONG DENY: %s → %s %s (%s)", c, svc, e, d.Reason)
				case d.Reason == "":
					t.Errorf("%s → %s %s: decision without a reason", c, svc, e)
				}
			}
		}
	}
	return checks, wrongAllows, wrongDenies
}

// TestRightsMatrix is issue 3's acceptance for access rights: clients (one pair in a group) × services ×
// endpoints × {granted on the endpoint, on "*", via a group, via "all", revoked, never granted, service
// disabled, service unknown}, checked against an independent model, then again after each step of a random
// walk of grants, revocations, group changes and service toggles — so each change must show on the very next
// Check.
func TestRightsMatrix(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	f := setUp(t, ctx, s)
	total, allows := 0, 0
	checks, wa, wd := f.verify(t, ctx, s)
	total += checks
	for _, c := range f.clients { // the initial matrix has both outcomes, for every client and service kind
		for _, svc := range f.services {
			for _, e := range f.endpoints[svc.String()] {
				if f.model.allowed(c, svc, e) {
					allows++
				}
			}
		}
	}
	if allows == 0 || allows == checks {
		t.Fatalf("degenerate matrix: %d of %d allowed", allows, checks)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	for step := range 40 {
		f.randomChange(t, ctx, s, rng, step)
		c, a, d := f.verify(t, ctx, s)
		total, wa, wd = total+c, wa+a, wd+d
	}
	t.Logf("rights matrix: %d checks, %d wrong allows, %d wrong denies", total, wa, wd)
	if wa != 0 || wd != 0 {
		t.Fatalf("%d wrong allows, %d wrong denies", wa, wd)
	}
}

// randomChange applies one change to both the store and the model.
func (f *fixture) randomChange(t *testing.T, ctx context.Context, s *registry.Store, rng *rand.Rand, step int) {
	t.Helper()
	svc := f.services[rng.IntN(len(f.services)-1)] // never the unregistered one
	endpoints := append([]string{registry.Everything}, f.endpoints[svc.String()][:3]...)
	e := endpoints[rng.IntN(len(endpoints))]
	var sub registry.Subject
	if rng.IntN(4) == 0 {
		sub = registry.Subject{Group: []string{"partners", registry.GroupAll, registry.GroupDevMode}[rng.IntN(3)]}
	} else {
		sub = registry.Subject{Client: f.clients[rng.IntN(len(f.clients))]}
	}
	switch op := step % 5; {
	case op <= 1:
		f.allow(t, ctx, s, sub, svc, e)
	case op <= 3:
		// Revoke an existing grant most of the time, so revocations are not all no-ops.
		for g := range f.model.grants {
			if rng.IntN(2) == 0 {
				s2, e2 := f.parse(g)
				f.revoke(t, ctx, s, s2, e2, g.endpoint)
				return
			}
		}
		f.revoke(t, ctx, s, sub, svc, e)
	default:
		if rng.IntN(2) == 0 {
			f.setEnabled(t, ctx, s, svc, !f.model.enabled[svc.String()])
			return
		}
		c := f.clients[rng.IntN(len(f.clients))]
		if f.model.groups["partners"][c] {
			must(t, s.RemoveGroupMember(ctx, "partners", c))
			delete(f.model.groups["partners"], c)
		} else {
			must(t, s.AddGroupMember(ctx, "partners", c))
			f.model.groups["partners"][c] = true
		}
	}
}

func (f *fixture) parse(g grant) (registry.Subject, registry.ServiceRef) {
	var sub registry.Subject
	if len(g.subject) > 6 && g.subject[:6] == "group:" {
		sub.Group = g.subject[6:]
	} else {
		sub.Client = client(g.subject)
	}
	i := slices.IndexFunc(f.services, func(r registry.ServiceRef) bool { return r.String() == g.service })
	return sub, f.services[i]
}

// TestRevocationIsImmediate: a granted call is refused on the very next Check after each kind of
// revocation.
func TestRevocationIsImmediate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	f := setUp(t, ctx, s)
	reg := f.services[0]
	read := f.endpoints[reg.String()][0]
	expect := func(c imident.Client, want bool, when string) {
		t.Helper()
		d, err := s.Check(ctx, c, reg.Provider, reg.Code, read)
		must(t, err)
		if d.Allowed != want {
			t.Fatalf("%s: %s allowed=%v, want %v (%s)", when, c, d.Allowed, want, d.Reason)
		}
	}
	c0, c1 := f.clients[0], f.clients[1]
	expect(c0, true, "endpoint grant")
	must(t, s.Revoke(ctx, registry.Subject{Client: c0}, reg, read))
	expect(c0, false, "after revoking the endpoint grant")

	expect(c1, true, "group grant")
	must(t, s.RemoveGroupMember(ctx, "partners", c1))
	expect(c1, false, "after leaving the group")
	must(t, s.AddGroupMember(ctx, "partners", c1))
	expect(c1, true, "after rejoining the group")
	must(t, s.Revoke(ctx, registry.Subject{Group: "partners"}, reg))
	expect(c1, false, "after revoking the group's grant")

	must(t, s.Allow(ctx, registry.Subject{Client: c1}, reg))
	expect(c1, true, "whole-service grant")
	must(t, s.SetServiceEnabled(ctx, reg.Provider, reg.Code, false))
	expect(c1, false, "service disabled")
	must(t, s.SetServiceEnabled(ctx, reg.Provider, reg.Code, true))
	expect(c1, true, "service enabled again")
	must(t, s.RevokeAll(ctx, registry.Subject{Client: c1}, reg))
	expect(c1, false, "after RevokeAll")
}
