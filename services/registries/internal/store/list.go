package store

import (
	"context"
	"errors"
	"strconv"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// searchTimeout bounds a list with a regular-expression search: a pathological pattern over a large
// registry must cost the caller an error, not the database a core.
const searchTimeout = "5s"

// listSQL builds the WHERE and ORDER BY of a list and their arguments. Only fixed SQL text is concatenated:
// every value the caller chose (match object, pattern, order field, paging) is a parameter. The WHERE uses
// the first whereArgs arguments only, so the count query can reuse it.
func listSQL(registryID int32, q domain.ListQuery) (where, order string, args []any, whereArgs int) {
	args = []any{registryID}
	param := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where = " WHERE registry_id = $1"
	if len(q.Match) > 0 {
		where += " AND content @> " + param(q.Match)
	}
	switch {
	case q.Search != "" && q.SearchField != "":
		// The field's text: a string as it is, any other value as its JSON.
		where += " AND coalesce(content ->> " + param(q.SearchField) + ", '') ~* " + param(q.Search)
	case q.Search != "":
		where += " AND content::text ~* " + param(q.Search)
	}
	whereArgs = len(args)
	dir := " ASC"
	if q.Order == domain.Descending {
		dir = " DESC"
	}
	if q.OrderBy == "" {
		order = " ORDER BY created_at" + dir + ", record_id" + dir
	} else {
		// Records without the field sort last either way; record_id keeps pages stable among equal values.
		order = " ORDER BY content -> " + param(q.OrderBy) + "::text" + dir + " NULLS LAST, record_id" + dir
	}
	order += " LIMIT " + param(q.PageSize) + " OFFSET " + param(q.Offset())
	return where, order, args, whereArgs
}

// ListRecords returns one page of the records matching q and the number of matches over all pages. The
// count comes with the page (a window over the same scan), so a filtered list reads the matches once; only
// a page past the end needs a second query to learn the total.
func (s *Store) ListRecords(ctx context.Context, registryID int32, q domain.ListQuery) ([]domain.Record, int, error) {
	var (
		recs  []domain.Record
		total int
	)
	where, order, args, whereArgs := listSQL(registryID, q)
	err := s.readOnly(ctx, q.Search != "", func(db querier) error {
		var err error
		recs, total, err = collectPage(db.Query(ctx, `SELECT `+recordColumns+`, count(*) OVER () FROM record`+where+order, args...))
		if err != nil || len(recs) > 0 || q.Offset() == 0 {
			return err
		}
		return db.QueryRow(ctx, `SELECT count(*) FROM record`+where, args[:whereArgs]...).Scan(&total)
	})
	return recs, total, mapSearchError(err)
}

func collectPage(rows pgx.Rows, err error) ([]domain.Record, int, error) {
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var (
		out   []domain.Record
		total int
	)
	for rows.Next() {
		var r domain.Record
		if err := rows.Scan(&r.ID, &r.Content, &r.PersonID, &r.CreatedAt, &r.UpdatedAt, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// readOnly runs fn on the pool, or, when bounded, in a read-only transaction with a statement timeout.
func (s *Store) readOnly(ctx context.Context, bounded bool, fn func(querier) error) error {
	if !bounded {
		return fn(s.pool)
	}
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL statement_timeout = '`+searchTimeout+`'`); err != nil {
			return err
		}
		return fn(tx)
	})
}

// mapSearchError turns what a caller's pattern can make Postgres say into a 400: a pattern Go accepts but
// Postgres's regex engine does not (2201B), and a pattern too expensive to finish in time (57014).
func mapSearchError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "2201B":
			return apierr.Wrap(apierr.KindInvalidArgument, domain.ReasonInvalidSearch,
				"search: not a valid regular expression", err)
		case "57014":
			return apierr.Wrap(apierr.KindInvalidArgument, domain.ReasonInvalidSearch,
				"search: the pattern took too long to evaluate; use a more specific one", err)
		}
	}
	return pgstore.MapError(err)
}
