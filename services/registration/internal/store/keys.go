package store

import (
	"context"
	"crypto/ed25519"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// NewestKeyBefore returns the newest key created at or before t, or the oldest key when every key is newer
// (the very first key); ok is false when there is none.
func (s *Store) NewestKeyBefore(ctx context.Context, t time.Time) (k domain.SigningKey, ok bool, err error) {
	return newestKey(ctx, s.pool, `SELECT kid, seed, created_at FROM signing_keys
		ORDER BY created_at <= $1 DESC, CASE WHEN created_at <= $1 THEN created_at END DESC, created_at, kid LIMIT 1`, t)
}

func newestKey(ctx context.Context, q querier, sql string, args ...any) (k domain.SigningKey, ok bool, err error) {
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

// KeysSince returns the public keys created after since, newest first, and always at least the newest.
func (s *Store) KeysSince(ctx context.Context, since time.Time) ([]domain.PublicKey, error) {
	rows, err := s.pool.Query(ctx, `SELECT kid, public_key, created_at FROM signing_keys
		WHERE created_at > $1 OR kid = (SELECT kid FROM signing_keys ORDER BY created_at DESC, kid LIMIT 1)
		ORDER BY created_at DESC, kid`, since)
	if err != nil {
		return nil, mapErr(err)
	}
	keys, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.PublicKey, error) {
		var k domain.PublicKey
		var pub []byte
		err := r.Scan(&k.KID, &pub, &k.Created)
		k.Public = ed25519.PublicKey(pub)
		return k, err
	})
	return keys, mapErr(err)
}

// RotateKeys runs next on the newest key under a transaction-scoped advisory lock, so that replicas
// checking at once make one key, not one each, and stores the key next returns.
func (s *Store) RotateKeys(ctx context.Context, next func(newest domain.SigningKey, found bool) (*domain.SigningKey, error)) error {
	return s.inTx(ctx, func(pt pgx.Tx) ([]domain.Event, error) {
		if _, err := pt.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('registration.signing_keys'))`); err != nil {
			return nil, err
		}
		newest, found, err := newestKey(ctx, pt, `SELECT kid, seed, created_at FROM signing_keys ORDER BY created_at DESC, kid LIMIT 1`)
		if err != nil {
			return nil, err
		}
		k, err := next(newest, found)
		if err != nil || k == nil {
			return nil, err
		}
		_, err = pt.Exec(ctx, `INSERT INTO signing_keys (kid, seed, public_key, created_at) VALUES ($1, $2, $3, $4)`,
			k.KID, []byte(k.Private.Seed()), []byte(k.Private.Public().(ed25519.PublicKey)), k.Created)
		return nil, err
	})
}
