// Package jwks fetches and caches Ed25519 public keys published as a JSON Web Key Set (RFC 7517): the keys
// that sign users' access tokens (Registration, platform/usertoken) and the keys the Information Mediator
// signs its per-call assertions with (platform/imassert). A Cache fetches the set on first use, keeps it for
// MaxAge, and fetches again when asked for a key id it does not know (rotation) — at most every MinRefresh,
// so a flood of forged key ids cannot flood the source.
package jwks

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/sync/singleflight"
)

// Source returns the current key set document ({"keys": [...]}).
type Source func(ctx context.Context) ([]byte, error)

// ErrUnknownKey is wrapped by Key's error for a key id the set does not hold: a token signed with it must
// be refused. Any other error of Key is about the source (unreachable, not a key set).
var ErrUnknownKey = errors.New("unknown key id")

// FetchTimeout bounds one fetch. It runs detached from the caller that started it, because concurrent
// callers share it and one caller giving up must not fail the others.
const FetchTimeout = 10 * time.Second

// maxBytes bounds a fetched key set: one is a few hundred bytes, so anything near this is not one.
const maxBytes = 1 << 20

// HTTPSource fetches the key set at url with client (nil: a default client). Each fetch is bounded by 10 s
// and 1 MiB; a status other than 200 is an error.
func HTTPSource(client *http.Client, url string) Source {
	if client == nil {
		client = &http.Client{}
	}
	return func(ctx context.Context) ([]byte, error) {
		ctx, cancel := context.WithTimeout(ctx, FetchTimeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer func() { _ = resp.Body.Close() }()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", url, err)
		}
		if len(body) > maxBytes {
			return nil, fmt.Errorf("GET %s: the key set is larger than %d bytes", url, maxBytes)
		}
		return body, nil
	}
}

// Static is a Source that always returns keys (for tests and for a process that holds the keys itself).
func Static(keys map[string]ed25519.PublicKey) Source {
	doc, err := Encode(keys)
	return func(context.Context) ([]byte, error) { return doc, err }
}

// Encode returns the key set document publishing the Ed25519 public keys by key id.
func Encode(keys map[string]ed25519.PublicKey) ([]byte, error) {
	set := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(keys))}
	for _, kid := range slices.Sorted(maps.Keys(keys)) {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: keys[kid], KeyID: kid, Algorithm: string(jose.EdDSA), Use: "sig"})
	}
	return json.Marshal(set)
}

// CacheOptions configure a Cache.
type CacheOptions struct {
	Source     Source // required
	MinRefresh time.Duration
	MaxAge     time.Duration
	Now        func() time.Time
}

// Cache holds the keys of a Source. It is safe for concurrent use.
type Cache struct {
	opts   CacheOptions
	flight singleflight.Group

	mu        sync.RWMutex
	keys      map[string]ed25519.PublicKey // by kid; nil until the first successful fetch
	fetchedAt time.Time                    // of the keys in use
	attempted time.Time                    // last fetch attempt, successful or not
}

// NewCache returns a Cache (MinRefresh default 10 s, MaxAge 5 min); keys are fetched on first use.
func NewCache(opts CacheOptions) *Cache {
	if opts.MinRefresh <= 0 {
		opts.MinRefresh = 10 * time.Second
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = 5 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Cache{opts: opts}
}

// Key returns the public key named kid, fetching the set when it is missing or too old, or when kid is
// unknown and the last fetch is at least MinRefresh ago.
func (c *Cache) Key(ctx context.Context, kid string) (ed25519.PublicKey, error) {
	if k, known, fresh := c.lookup(kid); known {
		return k, nil
	} else if fresh && !c.mayRefresh() {
		return nil, fmt.Errorf("%w %q", ErrUnknownKey, kid)
	}
	if err := c.refresh(ctx); err != nil {
		return nil, err
	}
	if k, known, _ := c.lookup(kid); known {
		return k, nil
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownKey, kid)
}

// lookup reports the key named kid from fresh keys, and whether the cached keys are fresh at all.
func (c *Cache) lookup(kid string) (k ed25519.PublicKey, known, fresh bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	fresh = c.keys != nil && c.opts.Now().Sub(c.fetchedAt) < c.opts.MaxAge
	if !fresh {
		return nil, false, false
	}
	k, known = c.keys[kid]
	return k, known, true
}

func (c *Cache) mayRefresh() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.opts.Now().Sub(c.attempted) >= c.opts.MinRefresh
}

// refresh fetches the set once for all concurrent callers. The check is repeated inside the flight, so a
// caller arriving just after a fetch finished does not start another one within MinRefresh.
func (c *Cache) refresh(ctx context.Context) error {
	ch := c.flight.DoChan("jwks", func() (any, error) {
		if _, _, fresh := c.lookup(""); fresh && !c.mayRefresh() {
			return nil, nil
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), FetchTimeout)
		defer cancel()
		now := c.opts.Now()
		keys, err := c.fetch(fctx)
		c.mu.Lock()
		defer c.mu.Unlock()
		c.attempted = now
		if err != nil {
			return nil, err
		}
		c.keys, c.fetchedAt = keys, now
		return nil, nil
	})
	select {
	case <-ctx.Done():
		return ctx.Err()
	case r := <-ch:
		return r.Err
	}
}

// fetch reads the set and keeps its Ed25519 signing keys.
func (c *Cache) fetch(ctx context.Context) (map[string]ed25519.PublicKey, error) {
	if c.opts.Source == nil {
		return nil, errors.New("jwks: no key source configured")
	}
	raw, err := c.opts.Source(ctx)
	if err != nil {
		return nil, fmt.Errorf("jwks: fetch keys: %w", err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &set); err != nil {
		return nil, fmt.Errorf("jwks: parse the key set: %w", err)
	}
	keys := make(map[string]ed25519.PublicKey, len(set.Keys))
	for _, k := range set.Keys {
		pub, ok := k.Key.(ed25519.PublicKey)
		if !ok || k.KeyID == "" || (k.Use != "" && k.Use != "sig") ||
			(k.Algorithm != "" && k.Algorithm != string(jose.EdDSA)) {
			continue // not a key we verify with; other keys may share the set
		}
		keys[k.KeyID] = pub
	}
	return keys, nil
}
