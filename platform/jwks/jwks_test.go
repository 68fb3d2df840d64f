package jwks_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/jwks"
)

func newKey(t *testing.T) ed25519.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

// A rotated key is found after one fetch; an unknown key id is ErrUnknownKey and fetches again at most every
// MinRefresh; a source that fails is an error of its own kind.
func TestCacheFindsRotatedKeysAndBoundsFetches(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	k1, k2 := newKey(t), newKey(t)
	keys := map[string]ed25519.PublicKey{"k1": k1}
	var fetches atomic.Int32
	var down atomic.Bool
	src := func(ctx context.Context) ([]byte, error) {
		fetches.Add(1)
		if down.Load() {
			return nil, errors.New("connection refused")
		}
		return jwks.Static(keys)(ctx)
	}
	c := jwks.NewCache(jwks.CacheOptions{Source: src, MinRefresh: time.Minute, Now: func() time.Time { return now }})
	ctx := context.Background()
	if k, err := c.Key(ctx, "k1"); err != nil || !k.Equal(k1) {
		t.Fatalf("k1: %v %v", k, err)
	}
	keys["k2"] = k2 // rotation at the source
	if _, err := c.Key(ctx, "k2"); !errors.Is(err, jwks.ErrUnknownKey) {
		t.Fatalf("k2 within MinRefresh of the last fetch: %v, want ErrUnknownKey", err)
	}
	now = now.Add(time.Minute)
	if k, err := c.Key(ctx, "k2"); err != nil || !k.Equal(k2) {
		t.Fatalf("k2 after MinRefresh: %v %v", k, err)
	}
	for range 100 {
		_, _ = c.Key(ctx, "forged")
	}
	if n := fetches.Load(); n != 2 {
		t.Errorf("%d fetches, want 2: forged key ids must not cause fetches within MinRefresh", n)
	}
	down.Store(true)
	now = now.Add(time.Hour) // the cached keys are too old
	if _, err := c.Key(ctx, "k1"); err == nil || errors.Is(err, jwks.ErrUnknownKey) {
		t.Errorf("source down: %v, want a source error", err)
	}
}
