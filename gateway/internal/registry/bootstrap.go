package registry

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// GrantOnce grants sub each endpoint of svc that GrantOnce has not granted before, and remembers it: the
// gateway's start-up grants (the BB-to-BB rights the stack needs) are given on the first start only, so an
// operator's Revoke is not undone by the next restart. Safe when several replicas start at once.
func (s *Store) GrantOnce(ctx context.Context, sub Subject, svc ServiceRef, endpoints ...string) error {
	return s.Atomically(ctx, func(ctx context.Context) error {
		tx := ctx.Value(txKey{}).(pgx.Tx) // Atomically always runs fn in a transaction
		var fresh []string
		for _, e := range endpoints {
			tag, err := tx.Exec(ctx, `INSERT INTO im_bootstrap_grant (subject, service, endpoint)
				VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, sub.String(), svc.String(), e)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 1 {
				fresh = append(fresh, e)
			}
		}
		if len(fresh) == 0 {
			return nil
		}
		return s.Allow(ctx, sub, svc, fresh...)
	})
}
