package registry_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/authn"
	"github.com/govstackbb/marketplace/gateway/internal/mediate"
	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
)

// A cached key is refused on the next call after it is revoked: at once in the replica that revoked it,
// and as soon as the notification arrives in another one.
func TestCacheHearsKeyRevocations(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t, registry.Migrations())
	here, there := registry.New(pool, nil), registry.New(pool, nil) // two gateway replicas
	client := imident.Client{Instance: "EE", Class: "GOV", Member: "1", Subsystem: "app"}
	if err := here.RegisterSubsystem(ctx, client); err != nil {
		t.Fatal(err)
	}
	cache := registry.NewCache(here, time.Hour, nil)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- cache.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })

	for _, tc := range []struct {
		name    string
		revoker *registry.Store
	}{{"revoked in this replica", here}, {"revoked in another replica", there}} {
		t.Run(tc.name, func(t *testing.T) {
			key, id, err := here.IssueAPIKey(ctx, client)
			if err != nil {
				t.Fatal(err)
			}
			for range 3 { // the first call fills the cache, the others are served from it
				if got, err := cache.AuthenticateAPIKey(ctx, key); err != nil || got != client {
					t.Fatalf("valid key: %v, %v", got, err)
				}
			}
			if err := tc.revoker.RevokeAPIKey(ctx, client, id); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for {
				_, err := cache.AuthenticateAPIKey(ctx, key)
				if errors.Is(err, authn.ErrUnknownCredential) {
					break
				}
				if tc.revoker == here || time.Now().After(deadline) {
					t.Fatalf("a revoked key still authenticates: %v", err)
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
}

// A cached rights decision is dropped when any right changes: at once in the replica that changed it, and
// as soon as the notification arrives in another one.
func TestCacheHearsRightsChanges(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.NewPool(t, registry.Migrations())
	here, there := registry.New(pool, nil), registry.New(pool, nil)
	client := imident.Client{Instance: "EE", Class: "GOV", Member: "1", Subsystem: "app"}
	provider := imident.Client{Instance: "GOVSTACK", Class: "GOV", Member: "GOVSTACK", Subsystem: "registries"}
	const read = "/govstack.registries.v1.RegistriesService/ReadRecord"
	svc := registry.Service{Provider: provider, Code: "registries", BB: "registries", Enabled: true,
		Methods: []registry.Method{{FullName: read}}}
	if err := here.EnsureService(ctx, svc); err != nil {
		t.Fatal(err)
	}
	if err := here.RegisterSubsystem(ctx, client); err != nil {
		t.Fatal(err)
	}
	cache := registry.NewCache(here, time.Hour, nil)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- cache.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })
	target := mediate.Service{Provider: provider, Code: "registries", BB: "registries", Enabled: true}
	sub := registry.Subject{Client: client}

	for _, revoker := range []*registry.Store{here, there} {
		if err := here.Allow(ctx, sub, svc.Ref(), read); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if ok, reason, err := cache.Allowed(ctx, client, target, read); !ok || err != nil {
				t.Fatalf("granted right refused: %s %v", reason, err)
			}
		}
		if err := revoker.Revoke(ctx, sub, svc.Ref(), read); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			ok, _, err := cache.Allowed(ctx, client, target, read)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			if revoker == here || time.Now().After(deadline) {
				t.Fatal("a revoked right is still allowed")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
