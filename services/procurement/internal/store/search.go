package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// The lists that page are newest first, keyset on (time, id): a page starts after the row the caller names
// (before), whose time is read first, so rows added meanwhile never shift a page and the position holds even
// if the row named changed status since. Ids compare bytewise (COLLATE "C"), as the indexes of migration
// 0004 do. Each filter adds its condition only when given (a catch-all "$n = '' OR ..." would be planned
// once for all and use no index).
//
// The tender list is planned for each call's own values (QueryExecModeExec: an unnamed statement, no cached
// generic plan). A generic plan cannot see how common the words are and settles on reading the newest-first
// index until a page is full: quick for a common word, but a rare one then reads the whole table in that
// order, a cost that grows with the table. Planned with the words, a rare one is found through the GIN index
// or a scan and a common one by the newest-first index (PostgreSQL estimates even prefix matches from the
// column's statistics). Planning costs a fraction of a millisecond (BenchmarkListTendersSearch).

// args collects a query's parameters and hands out their placeholders.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// ListTenders lists the tenders org's buyers may see (published ones and org's drafts) that q selects.
func (t *txn) ListTenders(ctx context.Context, org string, q domain.TenderQuery) ([]domain.Tender, error) {
	var a args
	where := []string{"(status <> 'draft' OR buyer_org = " + a.add(org) + ")"}
	if q.Before != "" {
		var at time.Time
		err := t.q.QueryRow(ctx, `SELECT created_at FROM tenders WHERE id = $1 AND (status <> 'draft' OR buyer_org = $2)`,
			q.Before, org).Scan(&at)
		if err == pgx.ErrNoRows {
			return nil, domain.BeforeUnknown("tender")
		}
		if err != nil {
			return nil, err
		}
		where = append(where, `(created_at, id COLLATE "C") < (`+a.add(at)+`, `+a.add(q.Before)+`)`)
	}
	if q.Status != "" {
		where = append(where, "status = "+a.add(q.Status))
	}
	if len(q.Words) > 0 {
		where = append(where, "search @@ to_tsquery('simple', "+a.add(prefixQuery(q.Words))+")")
	}
	if q.CPV != "" {
		where = append(where, "cpv_prefixes @> ARRAY["+a.add(q.CPV)+"::text]")
	}
	if q.BuyerOrg != "" {
		where = append(where, "buyer_org = "+a.add(q.BuyerOrg))
	}
	limit := a.add(q.Limit)
	rows, err := t.q.Query(ctx, `SELECT `+tenderSelect+` FROM tenders WHERE `+strings.Join(where, " AND ")+`
		ORDER BY created_at DESC, id COLLATE "C" DESC LIMIT `+limit, append(args{pgx.QueryExecModeExec}, a...)...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Tender, error) { return scanTender(r) })
}

// prefixQuery is the tsquery matching every word as the start of a word: "switch & poe" → "switch:* & poe:*".
// The words are letters and digits only (domain.NewTenderQuery), so none can carry tsquery syntax.
func prefixQuery(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = w + ":*"
	}
	return strings.Join(parts, " & ")
}

// SupplierBids lists companyID's bids, each with what the list shows of its tender.
func (t *txn) SupplierBids(ctx context.Context, companyID string, q domain.BidQuery) ([]app.SupplierBid, error) {
	var a args
	where := []string{"company_id = " + a.add(companyID)}
	if q.Before != "" {
		var at time.Time
		err := t.q.QueryRow(ctx, `SELECT submitted_at FROM bids WHERE id = $1 AND company_id = $2`, q.Before, companyID).Scan(&at)
		if err == pgx.ErrNoRows {
			return nil, domain.BeforeUnknown("bid")
		}
		if err != nil {
			return nil, err
		}
		where = append(where, `(submitted_at, id COLLATE "C") < (`+a.add(at)+`, `+a.add(q.Before)+`)`)
	}
	// The tender's columns come through a lateral subquery under names of their own, so bidColumns' names
	// (id, status, documents) stay the bid's.
	rows, err := t.q.Query(ctx, `SELECT `+bidColumns+`, t_title, t_status, t_org, t_currency, t_end FROM bids
		CROSS JOIN LATERAL (SELECT title AS t_title, status AS t_status, buyer_org AS t_org, currency AS t_currency,
			tender_end AS t_end FROM tenders WHERE tenders.id = bids.tender_id) t
		WHERE `+strings.Join(where, " AND ")+` ORDER BY submitted_at DESC, id COLLATE "C" DESC LIMIT `+a.add(q.Limit), a...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanSupplierBid)
}

func scanSupplierBid(r pgx.CollectableRow) (app.SupplierBid, error) {
	var sb app.SupplierBid
	var end *time.Time
	b, err := scanBid(rowWithTail{r, []any{&sb.TenderTitle, &sb.TenderStatus, &sb.BuyerOrg, &sb.Currency, &end}})
	sb.Bid, sb.TenderEnd = b, deref(end)
	return sb, err
}

// rowWithTail scans a row into scanBid's destinations followed by tail's: one row, two readers.
type rowWithTail struct {
	pgx.Row
	tail []any
}

func (r rowWithTail) Scan(dest ...any) error { return r.Row.Scan(append(dest, r.tail...)...) }
