package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
)

var _ app.Publications = (*Store)(nil)

// ReleasePage reads the releases q selects, oldest first (date, then id bytewise), at most q.Limit+1 so the
// caller knows whether a next page exists.
func (s *Store) ReleasePage(ctx context.Context, q ocds.PageQuery) ([][]byte, error) {
	var since, until, afterDate *time.Time
	var afterID string
	if !q.Since.IsZero() {
		since = &q.Since
	}
	if !q.Until.IsZero() {
		until = &q.Until
	}
	if q.After != nil {
		afterDate, afterID = &q.After.Date, q.After.ID
	}
	return s.releases(ctx, `SELECT release FROM ocds_release
		WHERE ($1::timestamptz IS NULL OR date >= $1) AND ($2::timestamptz IS NULL OR date < $2)
		  AND ($3::timestamptz IS NULL OR (date, id COLLATE "C") > ($3, $4::text COLLATE "C"))
		ORDER BY date, id COLLATE "C" LIMIT $5`, since, until, afterDate, afterID, q.Limit+1)
}

// ReleasesOf reads every release of one process, oldest first.
func (s *Store) ReleasesOf(ctx context.Context, ocid string) ([][]byte, error) {
	return s.releases(ctx, `SELECT release FROM ocds_release WHERE ocid = $1 ORDER BY date, id COLLATE "C"`, ocid)
}

// ReleaseCounts is how many releases each process has.
func (s *Store) ReleaseCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, `SELECT ocid, count(*) FROM ocds_release GROUP BY ocid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var ocid string
		var n int
		if err := rows.Scan(&ocid, &n); err != nil {
			return nil, err
		}
		counts[ocid] = n
	}
	return counts, rows.Err()
}

func (s *Store) releases(ctx context.Context, sql string, args ...any) ([][]byte, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]byte, error) {
		var raw []byte
		err := r.Scan(&raw)
		return raw, err
	})
}
