package registry_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/authn"
	"github.com/govstackbb/marketplace/gateway/internal/mediate"
	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/imident"
)

var provider = client("GOVSTACK/GOV/GOVSTACK/registries")

func readMethod() registry.Method {
	return registry.Method{FullName: "/govstack.registries.v1.RegistriesService/ReadRecord", HTTPMethod: "POST", Path: "/data/{registryname}/{versionnumber}/read"}
}

func TestEnsureServiceKeepsAdminsEnabledFlag(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, log := newStore(t)
	svc := registry.Service{Provider: provider, Code: "registries", BB: "registries", GRPCAddr: "127.0.0.1:9001",
		OpenAPI: []byte(`{"swagger":"2.0"}`), Enabled: true, Methods: []registry.Method{readMethod()}}
	must(t, s.EnsureService(ctx, svc))
	if got := log.last(); got.actor != registry.SystemActor || got.action != "service.ensure" {
		t.Fatalf("audit = %+v", got)
	}
	admin := client("GOVSTACK/GOV/ADMIN/console")
	must(t, s.SetServiceEnabled(imident.NewContext(ctx, admin), provider, "registries", false))
	if got := log.last(); got.actor != admin.String() || got.target != provider.String()+"/registries" {
		t.Fatalf("audit = %+v", got)
	}
	svc.GRPCAddr = "127.0.0.1:9002"
	must(t, s.EnsureService(ctx, svc)) // a restart
	got, err := s.GetService(ctx, provider, "registries")
	must(t, err)
	if got.Enabled || got.GRPCAddr != "127.0.0.1:9002" || len(got.Methods) != 1 || got.Methods[0] != readMethod() {
		t.Fatalf("after restart: %+v", got)
	}
	doc, err := s.OpenAPI(ctx, provider, "registries")
	if err != nil || string(doc) != `{"swagger":"2.0"}` {
		t.Fatalf("OpenAPI = %q, %v", doc, err)
	}
	svc.Enabled = true
	svc.OpenAPI, svc.Methods = nil, nil // kept
	must(t, s.RegisterService(ctx, svc))
	got, _ = s.GetService(ctx, provider, "registries")
	if !got.Enabled || len(got.Methods) != 1 {
		t.Fatalf("RegisterService: %+v", got)
	}
	if doc, _ := s.OpenAPI(ctx, provider, "registries"); len(doc) == 0 {
		t.Fatal("OpenAPI lost")
	}
}

func TestUnknownThingsAreNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	_, err := s.GetService(ctx, provider, "nope")
	if !errors.Is(err, registry.ErrUnknownService) || apierr.KindOf(err) != apierr.KindNotFound {
		t.Fatalf("GetService: %v", err)
	}
	if _, err := s.Service(ctx, provider, "nope"); !errors.Is(err, mediate.ErrUnknownService) {
		t.Fatalf("Service: %v", err)
	}
	if err := s.SetServiceEnabled(ctx, provider, "nope", true); apierr.KindOf(err) != apierr.KindNotFound {
		t.Fatalf("SetServiceEnabled: %v", err)
	}
	must(t, s.EnsureService(ctx, registry.Service{Provider: provider, Code: "registries", Enabled: true,
		Methods: []registry.Method{readMethod()}}))
	ref := registry.ServiceRef{Provider: provider, Code: "registries"}
	if err := s.Allow(ctx, registry.Subject{Client: client("A/B/C/D")}, ref); apierr.KindOf(err) != apierr.KindNotFound {
		t.Fatalf("Allow unregistered client: %v", err)
	}
	if err := s.Allow(ctx, registry.Subject{Group: "nogroup"}, ref); apierr.KindOf(err) != apierr.KindNotFound {
		t.Fatalf("Allow unknown group: %v", err)
	}
	must(t, s.RegisterSubsystem(ctx, client("A/B/C/D")))
	err = s.Allow(ctx, registry.Subject{Client: client("A/B/C/D")}, ref, "/govstack.registries.v1.RegistriesService/Typo")
	if apierr.KindOf(err) != apierr.KindInvalidArgument || !strings.Contains(err.Error(), "listMethods") {
		t.Fatalf("Allow unknown endpoint: %v", err)
	}
	if _, err := s.OpenAPI(ctx, provider, "registries"); apierr.KindOf(err) != apierr.KindNotFound {
		t.Fatalf("OpenAPI missing: %v", err)
	}
}

func TestBadInputIsInvalid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	for name, err := range map[string]error{
		"empty member":    s.RegisterMember(ctx, registry.Member{Instance: "A", Class: "", Code: "C"}),
		"slash":           s.RegisterSubsystem(ctx, imident.Client{Instance: "A", Class: "B", Member: "C/D", Subsystem: "E"}),
		"bad endpoint":    s.Allow(ctx, registry.Subject{Client: provider}, registry.ServiceRef{Provider: provider, Code: "x"}, "ReadRecord"),
		"both subjects":   s.Allow(ctx, registry.Subject{Client: provider, Group: "g"}, registry.ServiceRef{Provider: provider, Code: "x"}),
		"bad role":        s.GrantRole(ctx, provider, "root"),
		"bad fingerprint": s.RegisterCertificate(ctx, provider, "abc"),
		"bad key id":      s.RevokeAPIKey(ctx, provider, "not-a-uuid"),
		"bad method": s.EnsureService(ctx, registry.Service{Provider: provider, Code: "x",
			Methods: []registry.Method{{FullName: "/a.B/C", HTTPMethod: "get"}}}),
	} {
		if apierr.KindOf(err) != apierr.KindInvalidArgument {
			t.Errorf("%s: %v, want InvalidArgument", name, err)
		}
	}
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	c := client("GOVSTACK/GOV/CLIENT/app")
	if _, _, err := s.IssueAPIKey(ctx, c); apierr.KindOf(err) != apierr.KindNotFound {
		t.Fatalf("key for an unregistered client: %v", err)
	}
	must(t, s.RegisterSubsystem(ctx, c))
	key, id, err := s.IssueAPIKey(ctx, c)
	must(t, err)
	key2, _, err := s.IssueAPIKey(ctx, c)
	must(t, err)
	if key == key2 || len(key) < 40 {
		t.Fatalf("keys %q %q", key, key2)
	}
	got, err := s.AuthenticateAPIKey(ctx, key)
	if err != nil || got != c {
		t.Fatalf("AuthenticateAPIKey = %v, %v", got, err)
	}
	for _, bad := range []string{"", "gsim_", key + "x", strings.TrimPrefix(key, "gsim_")} {
		if _, err := s.AuthenticateAPIKey(ctx, bad); !errors.Is(err, authn.ErrUnknownCredential) {
			t.Errorf("AuthenticateAPIKey(%q) = %v", bad, err)
		}
	}
	if err := s.RevokeAPIKey(ctx, client("GOVSTACK/GOV/OTHER/app"), id); apierr.KindOf(err) != apierr.KindNotFound {
		t.Fatalf("revoking another client's key: %v", err)
	}
	must(t, s.RevokeAPIKey(ctx, c, id))
	must(t, s.RevokeAPIKey(ctx, c, id)) // idempotent
	if _, err := s.AuthenticateAPIKey(ctx, key); !errors.Is(err, registry.ErrUnknownCredential) {
		t.Fatalf("revoked key: %v", err)
	}
	if _, err := s.AuthenticateAPIKey(ctx, key2); err != nil {
		t.Fatalf("other key after revoking one: %v", err)
	}
	keys, err := s.ListAPIKeys(ctx, c)
	must(t, err)
	revoked := 0
	for _, k := range keys {
		if k.RevokedAt != nil {
			revoked++
		}
	}
	if len(keys) != 2 || revoked != 1 {
		t.Fatalf("keys = %+v", keys)
	}
}

func TestCertificates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	c, other := client("GOVSTACK/GOV/CLIENT/app"), client("GOVSTACK/GOV/OTHER/app")
	must(t, s.RegisterSubsystem(ctx, c))
	must(t, s.RegisterSubsystem(ctx, other))
	fp := registry.Fingerprint([]byte("a DER certificate"))
	if fp != authn.Fingerprint([]byte("a DER certificate")) {
		t.Fatal("fingerprints differ from authn's")
	}
	colons := strings.ToUpper(fp[:2]) + ":" + fp[2:]
	must(t, s.RegisterCertificate(ctx, c, colons))
	must(t, s.RegisterCertificate(ctx, c, fp)) // idempotent
	if err := s.RegisterCertificate(ctx, other, fp); apierr.KindOf(err) != apierr.KindAlreadyExists {
		t.Fatalf("another client's certificate: %v", err)
	}
	got, err := s.ClientForCertificate(ctx, fp)
	if err != nil || got != c {
		t.Fatalf("ClientForCertificate = %v, %v", got, err)
	}
	must(t, s.RevokeCertificate(ctx, c, fp))
	if _, err := s.ClientForCertificate(ctx, fp); !errors.Is(err, registry.ErrUnknownCredential) {
		t.Fatalf("revoked certificate: %v", err)
	}
	if err := s.RegisterCertificate(ctx, c, fp); apierr.KindOf(err) != apierr.KindAlreadyExists {
		t.Fatalf("re-registering a revoked certificate: %v", err)
	}
	certs, err := s.ListCertificates(ctx, c)
	if err != nil || len(certs) != 1 || certs[0].RevokedAt == nil {
		t.Fatalf("certs = %+v, %v", certs, err)
	}
}

func TestRolesAndClients(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	admin := client("GOVSTACK/GOV/ADMIN/console")
	must(t, s.EnsureAdmin(ctx, admin))
	must(t, s.EnsureAdmin(ctx, admin))
	must(t, s.RegisterMember(ctx, registry.Member{Instance: "GOVSTACK", Class: "GOV", Code: "ADMIN", Name: "Admins"}))
	must(t, s.RegisterMember(ctx, registry.Member{Instance: "OTHER", Class: "COM", Code: "X"}))
	if ok, err := s.IsAdmin(ctx, admin); !ok || err != nil {
		t.Fatalf("IsAdmin = %v, %v", ok, err)
	}
	c := client("GOVSTACK/GOV/ADMIN/other")
	must(t, s.RegisterSubsystem(ctx, c))
	if ok, _ := s.IsAdmin(ctx, c); ok {
		t.Fatal("a sibling subsystem is admin")
	}
	must(t, s.GrantRole(ctx, c, registry.RoleAdmin))
	must(t, s.RevokeRole(ctx, c, registry.RoleAdmin))
	if ok, _ := s.IsAdmin(ctx, c); ok {
		t.Fatal("revoked admin is admin")
	}
	all, err := s.ListClients(ctx, "")
	must(t, err)
	if len(all) != 2 || all[0].Name != "Admins" || strings.Join(all[0].Subsystems, ",") != "console,other" || len(all[1].Subsystems) != 0 {
		t.Fatalf("ListClients = %+v", all)
	}
	one, _ := s.ListClients(ctx, "OTHER")
	if len(one) != 1 || one[0].Code != "X" {
		t.Fatalf("ListClients(OTHER) = %+v", one)
	}
}

func TestAllowedEndpointsAndListRights(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	f := setUp(t, ctx, s)
	reg := f.services[0]
	got, err := s.AllowedEndpoints(ctx, f.clients[0], reg.Provider)
	must(t, err)
	if len(got["registries"]) != 1 || got["registries"][0] != f.endpoints[reg.String()][0] {
		t.Fatalf("AllowedEndpoints(client0) = %v", got)
	}
	got, _ = s.AllowedEndpoints(ctx, f.clients[1], reg.Provider) // via partners
	if len(got["registries"]) != 1 || got["registries"][0] != "*" {
		t.Fatalf("AllowedEndpoints(client1) = %v", got)
	}
	var all []registry.Right
	var after registry.Cursor
	for {
		page, err := s.ListRights(ctx, registry.RightsFilter{}, after, 2)
		must(t, err)
		if len(page) == 0 {
			break
		}
		all = append(all, page...)
		after = page[len(page)-1].Cursor
	}
	if len(all) != len(f.model.grants) {
		t.Fatalf("ListRights paged %d rights, model has %d", len(all), len(f.model.grants))
	}
	for _, r := range all {
		if !f.model.grants[grant{r.Subject.String(), r.Service.String(), r.Endpoint}] {
			t.Errorf("ListRights shows %+v, not in the model", r)
		}
	}
	only, _ := s.ListRights(ctx, registry.RightsFilter{Subsystem: "payments"}, registry.Cursor{}, 100)
	for _, r := range only {
		if r.Service.Code != "payments" {
			t.Errorf("filter leaked %+v", r)
		}
	}
}

func TestAuditFailureRollsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := newPool(t)
	failing := registry.New(pool, func(context.Context, pgxTx, string, string, string, any) error {
		return errors.New("audit log down")
	})
	if err := failing.RegisterSubsystem(ctx, client("A/B/C/D")); err == nil {
		t.Fatal("change committed without its audit record")
	}
	if ok, _ := registry.New(pool, nil).SubsystemExists(ctx, client("A/B/C/D")); ok {
		t.Fatal("the change survived a failed audit")
	}
}

func TestBootstrapAdminKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	admin := client("GOVSTACK/GOV/ADMIN/console")
	key, _, err := s.BootstrapAdminKey(ctx, admin)
	must(t, err)
	if c, err := s.AuthenticateAPIKey(ctx, key); err != nil || c != admin {
		t.Fatalf("bootstrap key: %v %v", c, err)
	}
	if ok, _ := s.IsAdmin(ctx, admin); !ok {
		t.Fatal("bootstrap admin is not admin")
	}
}

// TestConcurrentEnsureService: gateway replicas starting together all register the BB services.
func TestConcurrentEnsureService(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			errs <- s.EnsureService(ctx, registry.Service{Provider: provider, Code: "registries", BB: "registries",
				Enabled: true, Methods: []registry.Method{readMethod()}})
		}()
	}
	for range 4 {
		must(t, <-errs)
	}
	got, err := s.ListServices(ctx, imident.Client{})
	if err != nil || len(got) != 1 || len(got[0].Methods) != 1 {
		t.Fatalf("services = %+v, %v", got, err)
	}
}

func TestAtomically(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, log := newStore(t)
	c := client("GOVSTACK/GOV/CLIENT/app")
	before := len(log.entries)
	err := s.Atomically(ctx, func(ctx context.Context) error {
		must(t, s.RegisterSubsystem(ctx, c))
		if ok, err := s.SubsystemExists(ctx, c); !ok || err != nil { // reads see the batch's own changes
			t.Errorf("inside the batch: %v %v", ok, err)
		}
		_, _, err := s.IssueAPIKey(ctx, client("GOVSTACK/GOV/NOBODY/app"))
		return err
	})
	if apierr.KindOf(err) != apierr.KindNotFound {
		t.Fatalf("Atomically = %v", err)
	}
	if ok, _ := s.SubsystemExists(ctx, c); ok {
		t.Fatal("a failed batch was partly committed")
	}
	if len(log.entries) != before+1 { // recorded in the transaction that rolled back (the audit log's rows go with it)
		t.Fatalf("audit entries %d → %d", before, len(log.entries))
	}
}

// TestPubSubEndpoints: the pub/sub rooms' rights are "action:eventType" endpoints on a service without
// methods.
func TestPubSubEndpoints(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	room := registry.ServiceRef{Provider: provider, Code: "pubsub"}
	must(t, s.EnsureService(ctx, registry.Service{Provider: provider, Code: "pubsub", Enabled: true}))
	c := client("GOVSTACK/GOV/CLIENT/app")
	must(t, s.RegisterSubsystem(ctx, c))
	const sub = "subscribe:govstack.registries.v1.record.created"
	must(t, s.Allow(ctx, registry.Subject{Client: c}, room, sub))
	for endpoint, want := range map[string]bool{sub: true, "publish:govstack.registries.v1.record.created": false} {
		d, err := s.Check(ctx, c, provider, "pubsub", endpoint)
		if err != nil || d.Allowed != want {
			t.Errorf("%s: %+v %v", endpoint, d, err)
		}
	}
	for _, bad := range []string{"subscribe:", ":x", "sub scribe:x", "ReadRecord", "/a/b/c"} {
		if err := s.Allow(ctx, registry.Subject{Client: c}, room, bad); apierr.KindOf(err) != apierr.KindInvalidArgument {
			t.Errorf("Allow(%q) = %v", bad, err)
		}
	}
	// Development-mode grants go to their own everyone group and can be taken back alone.
	must(t, s.Allow(ctx, registry.Subject{Group: registry.GroupDevMode}, room))
	must(t, s.Allow(ctx, registry.Subject{Group: registry.GroupAll}, room, sub))
	must(t, s.RevokeAll(ctx, registry.Subject{Group: registry.GroupDevMode}, room))
	if d, _ := s.Check(ctx, client("X/Y/Z/W"), provider, "pubsub", sub); !d.Allowed {
		t.Fatalf("the grant to all went with the development-mode grants: %s", d.Reason)
	}
}

// TestPersonalDataRightIsGrantedByName: "*" does not carry the right to any person's data (issue 11) —
// not for a client, not for the everyone groups development mode uses; an operator grants it by name.
func TestPersonalDataRightIsGrantedByName(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	f := setUp(t, ctx, s)
	reg := f.services[0]
	whole, named := f.clients[0], f.clients[1]
	must(t, s.Allow(ctx, registry.Subject{Client: whole}, reg))
	must(t, s.Allow(ctx, registry.Subject{Group: registry.GroupDevMode}, reg))
	must(t, s.Allow(ctx, registry.Subject{Client: named}, reg, imident.PersonalDataEndpoint))
	for c, want := range map[imident.Client]bool{whole: false, named: true, client("X/Y/Z/anyone"): false} {
		d, err := s.Check(ctx, c, reg.Provider, reg.Code, imident.PersonalDataEndpoint)
		must(t, err)
		if d.Allowed != want {
			t.Errorf("%s: allowed = %v, want %v (%s)", c, d.Allowed, want, d.Reason)
		}
	}
	// The whole-service grant still covers every method.
	if d, _ := s.Check(ctx, whole, reg.Provider, reg.Code, f.endpoints[reg.String()][0]); !d.Allowed {
		t.Errorf("whole-service grant: %s", d.Reason)
	}
}
