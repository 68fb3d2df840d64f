package store

import (
	"context"
	"crypto/ed25519"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// SigningKey is one Ed25519 access-token signing key.
type SigningKey struct {
	KID     string
	Private ed25519.PrivateKey
	Created time.Time
}

// NewestKey returns the newest signing key; ok is false when there is none.
func NewestKey(ctx context.Context, q Querier) (k SigningKey, ok bool, err error) {
	return newestKey(ctx, q, `SELECT kid, seed, created_at FROM signing_keys ORDER BY created_at DESC, kid LIMIT 1`)
}

// NewestKeyBefore returns the newest key created at or before t, or the oldest key when every key is newer
// (the very first key); ok is false when there is none.
func NewestKeyBefore(ctx context.Context, q Querier, t time.Time) (k SigningKey, ok bool, err error) {
	return newestKey(ctx, q, `SELECT kid, seed, created_at FROM signing_keys
		ORDER BY created_at <= $1 DESC, CASE WHEN created_at <= $1 THEN created_at END DESC, created_at, kid LIMIT 1`, t)
}

func newestKey(ctx context.Context, q Querier, sql string, args ...any) (k SigningKey, ok bool, err error) {
	var seed []byte
	err = q.QueryRow(ctx, sql, args...).Scan(&k.KID, &seed, &k.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return k, false, nil
	}
	if err != nil {
		return k, false, mapErr(err)
	}
	k.Private = ed25519.NewKeyFromSeed(seed)
	return k, true, nil
}

// PublicKey is a published verification key.
type PublicKey struct {
	KID     string
	Public  ed25519.PublicKey
	Created time.Time
}

// KeysSince returns the public keys created after since, newest first, and always at least the newest.
func KeysSince(ctx context.Context, q Querier, since time.Time) ([]PublicKey, error) {
	rows, err := q.Query(ctx, `SELECT kid, public_key, created_at FROM signing_keys
		WHERE created_at > $1 OR kid = (SELECT kid FROM signing_keys ORDER BY created_at DESC, kid LIMIT 1)
		ORDER BY created_at DESC, kid`, since)
	if err != nil {
		return nil, mapErr(err)
	}
	keys, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PublicKey, error) {
		var k PublicKey
		var pub []byte
		err := r.Scan(&k.KID, &pub, &k.Created)
		k.Public = ed25519.PublicKey(pub)
		return k, err
	})
	return keys, mapErr(err)
}

// InsertKey stores a new signing key.
func InsertKey(ctx context.Context, q Querier, kid string, priv ed25519.PrivateKey, now time.Time) error {
	_, err := q.Exec(ctx, `INSERT INTO signing_keys (kid, seed, public_key, created_at) VALUES ($1, $2, $3, $4)`,
		kid, []byte(priv.Seed()), []byte(priv.Public().(ed25519.PublicKey)), now)
	return mapErr(err)
}

// LockKeys takes the transaction-scoped advisory lock that makes replicas create one key, not one each.
func LockKeys(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('registration.signing_keys'))`)
	return mapErr(err)
}
