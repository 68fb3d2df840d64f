package store

import (
	"context"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// AddOptOut adds an address (idempotent).
func (s *Store) AddOptOut(ctx context.Context, c domain.Channel, addr string) (domain.OptOut, error) {
	e := domain.OptOut{Channel: c, Address: addr}
	err := s.pool.QueryRow(ctx, `INSERT INTO opt_out (channel, address) VALUES ($1, $2)
		ON CONFLICT (channel, address) DO UPDATE SET address = EXCLUDED.address RETURNING created_at`,
		string(c), addr).Scan(&e.CreatedAt)
	return e, pgstore.MapError(err)
}

// RemoveOptOut removes an address; NotFound when it is not listed.
func (s *Store) RemoveOptOut(ctx context.Context, c domain.Channel, addr string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM opt_out WHERE channel = $1 AND address = $2`, string(c), addr)
	if err == nil && tag.RowsAffected() == 0 {
		err = pgx.ErrNoRows
	}
	return pgstore.MapError(err)
}

// OptOuts lists the opt-out list.
func (s *Store) OptOuts(ctx context.Context) ([]domain.OptOut, error) {
	return collectOptOuts(s.pool.Query(ctx, `SELECT channel, address, created_at FROM opt_out ORDER BY channel, address`))
}

// OptOutsOf lists the entries of one address of channel c, its mailbox name compared without regard to
// case (zero or one entry in practice).
func (s *Store) OptOutsOf(ctx context.Context, c domain.Channel, addr string) ([]domain.OptOut, error) {
	return collectOptOuts(s.pool.Query(ctx, `SELECT channel, address, created_at FROM opt_out
		WHERE channel = $1 AND lower(address) = lower($2) ORDER BY address`, string(c), addr))
}

func collectOptOuts(rows pgx.Rows, err error) ([]domain.OptOut, error) {
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.OptOut, error) {
		var e domain.OptOut
		var ch string
		err := r.Scan(&ch, &e.Address, &e.CreatedAt)
		e.Channel = domain.Channel(ch)
		return e, err
	})
	return out, pgstore.MapError(err)
}
