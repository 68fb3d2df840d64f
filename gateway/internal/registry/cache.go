package registry

import (
	"context"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/mediate"
	"github.com/govstackbb/marketplace/platform/imident"
)

// revokedChannel is the Postgres notification channel on which a revoked key's hash is announced.
const revokedChannel = "im_api_key_revoked"

// Cache remembers which client an API key belongs to and the rights decisions already made, so a call
// through the IM usually costs no registry query. It is safe because every change is announced: RevokeAPIKey
// notifies revokedChannel and every other change changedChannel, inside their transactions, and every gateway
// replica listening drops what the change may affect when it commits (the replica that made it, at once).
// While the listening connection is down the cache is bypassed and emptied, so a missed notification can
// never keep a revoked key or right alive; entries also expire after TTL as a last safety net.
type Cache struct {
	store *Store
	ttl   time.Duration
	log   *slog.Logger
	now   func() time.Time

	mu        sync.Mutex
	listening bool
	entries   map[string]cachedKey      // by hex SHA-256 of the key
	decisions map[string]cachedDecision // by client, service and endpoint
	gen       uint64                    // counts changes heard, so a query racing a change is not cached
}

type cachedDecision struct {
	allowed bool
	reason  string
	expires time.Time
}

type cachedKey struct {
	client  imident.Client
	expires time.Time
}

// NewCache caches the store's API-key lookups and rights decisions; Run must be running for the cache to
// be used.
func NewCache(store *Store, ttl time.Duration, log *slog.Logger) *Cache {
	if log == nil {
		log = slog.Default()
	}
	c := &Cache{store: store, ttl: ttl, log: log, now: time.Now,
		entries: map[string]cachedKey{}, decisions: map[string]cachedDecision{}}
	store.onRevoke, store.onChange = c.evict, c.forgetDecisions
	return c
}

// Allowed is Store.Allowed with the decision remembered until the registry changes.
func (c *Cache) Allowed(ctx context.Context, client imident.Client, svc mediate.Service, endpoint string) (bool, string, error) {
	k := client.String() + "|" + svc.Key() + "|" + endpoint
	c.mu.Lock()
	d, ok := c.decisions[k]
	use := c.listening
	c.mu.Unlock()
	if use && ok && c.now().Before(d.expires) {
		return d.allowed, d.reason, nil
	}
	gen := c.generation()
	allowed, reason, err := c.store.Allowed(ctx, client, svc, endpoint)
	if err != nil || !use {
		return allowed, reason, err
	}
	c.mu.Lock()
	if c.listening && c.gen == gen { // no change was heard while we asked
		c.decisions[k] = cachedDecision{allowed: allowed, reason: reason, expires: c.now().Add(c.ttl)}
	}
	c.mu.Unlock()
	return allowed, reason, nil
}

// Service is the store's (not cached).
func (c *Cache) Service(ctx context.Context, provider imident.Client, code string) (mediate.Service, error) {
	return c.store.Service(ctx, provider, code)
}

func (c *Cache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *Cache) forgetDecisions() {
	c.mu.Lock()
	c.gen++
	clear(c.decisions)
	c.mu.Unlock()
}

// AuthenticateAPIKey is Store.AuthenticateAPIKey with the answer remembered while revocations are heard.
func (c *Cache) AuthenticateAPIKey(ctx context.Context, key string) (imident.Client, error) {
	h := hex.EncodeToString(hashKey(key))
	c.mu.Lock()
	e, ok := c.entries[h]
	use := c.listening
	c.mu.Unlock()
	if use && ok && c.now().Before(e.expires) {
		return e.client, nil
	}
	gen := c.generation()
	client, err := c.store.AuthenticateAPIKey(ctx, key)
	if err != nil || !use {
		return client, err
	}
	c.mu.Lock()
	if c.listening && c.gen == gen { // no revocation was heard while we queried
		c.entries[h] = cachedKey{client: client, expires: c.now().Add(c.ttl)}
	}
	c.mu.Unlock()
	return client, nil
}

// ClientForCertificate is the store's (not cached).
func (c *Cache) ClientForCertificate(ctx context.Context, fingerprint string) (imident.Client, error) {
	return c.store.ClientForCertificate(ctx, fingerprint)
}

func (c *Cache) evict(keyHash string) {
	c.mu.Lock()
	c.gen++
	delete(c.entries, keyHash)
	c.mu.Unlock()
}

func (c *Cache) setListening(on bool) {
	c.mu.Lock()
	c.gen++
	c.listening = on
	clear(c.entries)
	clear(c.decisions)
	c.mu.Unlock()
}

// Run listens for revocations until ctx is done, reconnecting with backoff; the cache is used only while
// it listens.
func (c *Cache) Run(ctx context.Context) error {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := c.listen(ctx)
		c.setListening(false)
		if ctx.Err() != nil {
			return nil
		}
		c.log.Warn("API key cache: not hearing revocations, bypassed until it reconnects", "error", err, "retry_in", wait)
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(wait*2, 10*time.Second)
	}
	return nil
}

func (c *Cache) listen(ctx context.Context) error {
	conn, err := c.store.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	for _, ch := range []string{revokedChannel, changedChannel} {
		if _, err := conn.Exec(ctx, "LISTEN "+ch); err != nil {
			return err
		}
	}
	defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), "UNLISTEN *") }()
	c.setListening(true)
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Channel == revokedChannel {
			c.evict(n.Payload)
		} else {
			c.forgetDecisions()
		}
	}
}
