package registry_test

import (
	"context"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
)

// BenchmarkCheck measures the uncached rights check the gateway makes on every call: one query.
func BenchmarkCheck(b *testing.B) {
	ctx := context.Background()
	s, _ := newStore(b)
	c := client("GOVSTACK/GOV/CLIENT/app")
	must(b, s.RegisterSubsystem(ctx, c))
	must(b, s.EnsureService(ctx, registry.Service{Provider: provider, Code: "registries", Enabled: true,
		Methods: []registry.Method{readMethod()}}))
	must(b, s.CreateGroup(ctx, "partners", ""))
	must(b, s.AddGroupMember(ctx, "partners", c))
	must(b, s.Allow(ctx, registry.Subject{Group: "partners"}, registry.ServiceRef{Provider: provider, Code: "registries"}))
	b.ResetTimer()
	for b.Loop() {
		d, err := s.Check(ctx, c, provider, "registries", readMethod().FullName)
		if err != nil || !d.Allowed {
			b.Fatal(d, err)
		}
	}
}
