package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/procurement/internal/app"
)

var _ app.Reports = (*Store)(nil)

// TendersByStage counts published tenders by status, in lifecycle order.
func (s *Store) TendersByStage(ctx context.Context) ([]app.StageCount, error) {
	rows, err := s.pool.Query(ctx, `SELECT status, count(*) FROM tenders WHERE status <> 'draft' GROUP BY status
		ORDER BY array_position(ARRAY['active','evaluation','awarded','contracted','complete','cancelled','unsuccessful'], status)`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (c app.StageCount, err error) {
		err = r.Scan(&c.Stage, &c.Tenders)
		return c, err
	})
}

// BidsPerTender counts each published tender's bids by outcome, newest first.
func (s *Store) BidsPerTender(ctx context.Context, limit int) ([]app.TenderBids, error) {
	rows, err := s.pool.Query(ctx, `SELECT t.id, t.ocid, t.title, t.status,
			count(b.id) FILTER (WHERE b.status <> 'withdrawn'),
			count(b.id) FILTER (WHERE b.status = 'withdrawn'),
			count(b.id) FILTER (WHERE b.status = 'disqualified')
		FROM tenders t LEFT JOIN bids b ON b.tender_id = t.id
		WHERE t.status <> 'draft' GROUP BY t.id ORDER BY t.published_at DESC, t.id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (b app.TenderBids, err error) {
		err = r.Scan(&b.TenderID, &b.OCID, &b.Title, &b.Stage, &b.Bids, &b.Withdrawn, &b.Disqualified)
		return b, err
	})
}

// stageSpans are each tender's stage boundaries: publication, opening, award, signature, and completion
// (the first OCDS release that shows the tender complete).
const stageSpans = `WITH spans AS (
	SELECT t.published_at AS published, t.bids_opened_at AS opened, a.decided_at AS awarded, c.signed_at AS signed,
		(SELECT min(r.date) FROM ocds_release r WHERE r.ocid = t.ocid AND r.release->'tender'->>'status' = 'complete') AS completed
	FROM tenders t LEFT JOIN awards a ON a.tender_id = t.id LEFT JOIN contracts c ON c.tender_id = t.id
	WHERE t.status <> 'draft'
), stages (stage, position, started, ended) AS (
	SELECT 'tendering', 1, published, opened FROM spans
	UNION ALL SELECT 'evaluation', 2, opened, awarded FROM spans
	UNION ALL SELECT 'standstill', 3, awarded, signed FROM spans
	UNION ALL SELECT 'delivery', 4, signed, completed FROM spans
)
SELECT stage, count(*), avg(extract(epoch FROM ended - started)) / 86400, max(extract(epoch FROM ended - started)) / 86400
FROM stages WHERE started IS NOT NULL AND ended IS NOT NULL GROUP BY stage, position ORDER BY position`

// StageDurations is the time the tenders that left each stage spent in it.
func (s *Store) StageDurations(ctx context.Context) ([]app.StageDuration, error) {
	rows, err := s.pool.Query(ctx, stageSpans)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (d app.StageDuration, err error) {
		err = r.Scan(&d.Stage, &d.Tenders, &d.AverageDays, &d.Max)
		return d, err
	})
}

// overdue lists the steps due before $1 and not done; a payment is overdue a day after its delivery.
const overdue = `SELECT id, ocid, 'bids-opening', id, tender_end FROM tenders
	WHERE status = 'active' AND tender_end < $1
UNION ALL SELECT t.id, t.ocid, 'standstill', a.id, a.standstill_end FROM awards a JOIN tenders t ON t.id = a.tender_id
	WHERE a.status = 'standstill' AND a.standstill_end < $1 AND t.status = 'awarded'
UNION ALL SELECT t.id, t.ocid, 'delivery', m.id, m.due_date FROM milestones m JOIN contracts c ON c.id = m.contract_id
	JOIN tenders t ON t.id = c.tender_id
	WHERE m.status = 'scheduled' AND m.due_date < $1 AND t.status = 'contracted'
UNION ALL SELECT t.id, t.ocid, 'payment', m.id, m.delivered_at + interval '1 day' FROM milestones m
	JOIN contracts c ON c.id = m.contract_id JOIN tenders t ON t.id = c.tender_id
	WHERE m.status = 'delivered' AND m.delivered_at + interval '1 day' < $1 AND t.status = 'contracted'
ORDER BY 5, 4 LIMIT 1000`

// OverdueSteps lists the steps past due at now, oldest first (at most 1000).
func (s *Store) OverdueSteps(ctx context.Context, now time.Time) ([]app.OverdueStep, error) {
	rows, err := s.pool.Query(ctx, overdue, now)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (o app.OverdueStep, err error) {
		err = r.Scan(&o.TenderID, &o.OCID, &o.Step, &o.Subject, &o.Due)
		return o, err
	})
}

// buyerTotals sums per buyer and currency: tenders published, awards not cancelled and their value, and
// milestones paid and their amounts (decimal strings summed as numeric).
const buyerTotals = `SELECT t.buyer_org, t.currency, count(DISTINCT t.id)::int,
		count(DISTINCT a.id)::int, coalesce((SELECT round(sum(a2.value::numeric), 2) FROM awards a2 JOIN tenders t2 ON t2.id = a2.tender_id
			WHERE t2.buyer_org = t.buyer_org AND a2.currency = t.currency AND a2.status <> 'cancelled'), 0)::text,
		count(DISTINCT m.id)::int, coalesce((SELECT round(sum(m2.amount::numeric), 2) FROM milestones m2 JOIN contracts c2 ON c2.id = m2.contract_id
			JOIN tenders t2 ON t2.id = c2.tender_id WHERE t2.buyer_org = t.buyer_org AND c2.currency = t.currency AND m2.status = 'paid'), 0)::text
	FROM tenders t
	LEFT JOIN awards a ON a.tender_id = t.id AND a.status <> 'cancelled'
	LEFT JOIN contracts c ON c.tender_id = t.id
	LEFT JOIN milestones m ON m.contract_id = c.id AND m.status = 'paid'
	WHERE t.status <> 'draft' GROUP BY t.buyer_org, t.currency ORDER BY t.buyer_org, t.currency`

// BuyerTotals is each buyer's tenders, awards and payments per currency.
func (s *Store) BuyerTotals(ctx context.Context) ([]app.BuyerTotal, error) {
	rows, err := s.pool.Query(ctx, buyerTotals)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (b app.BuyerTotal, err error) {
		err = r.Scan(&b.Buyer, &b.Currency, &b.Tenders, &b.Awards, &b.AwardedValue, &b.Payments, &b.PaidValue)
		return b, err
	})
}
