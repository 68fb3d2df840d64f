package registry

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// GrantOnce grants sub each endpoint of svc that GrantOnce has not granted before, and remembers it: the
// gateway's start-up grants (the BB-to-BB rights the stack needs) are given on the first start only, so an
// operator's Revoke is not undone by the next restart. Safe when several replicas start at once.
func (s *Store) GrantOnce(ctx context.Context, sub Subject, svc ServiceRef, endpoints ...string) error {
	return s.Atomically(ctx, func(ctx context.Context) error {
		var fresh []string
		for _, e := range endpoints {
			var inserted bool
			err := s.q(ctx).QueryRow(ctx, `INSERT INTO im_bootstrap_grant (subject, service, endpoint)
				VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING true`, sub.String(), svc.String(), e).Scan(&inserted)
			switch {
			case errors.Is(err, pgx.ErrNoRows): // given before
			case err != nil:
				return err
			default:
				fresh = append(fresh, e)
			}
		}
		if len(fresh) == 0 {
			return nil
		}
		return s.Allow(ctx, sub, svc, fresh...)
	})
}
