package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

const awardColumns = `id, tender_id, bid_id, company_id, value, currency, status, decided_at, standstill_end, standstill_over`

func (t *txn) AddAward(ctx context.Context, a domain.Award) error {
	_, err := t.q.Exec(ctx, `INSERT INTO awards (`+awardColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		a.ID, a.TenderID, a.BidID, a.CompanyID, a.Value, a.Currency, a.Status, a.DecidedAt, a.StandstillEnd, a.StandstillOver)
	return err
}

func (t *txn) UpdateAward(ctx context.Context, a domain.Award) error {
	_, err := t.q.Exec(ctx, `UPDATE awards SET status = $2, standstill_over = $3 WHERE id = $1`, a.ID, a.Status, a.StandstillOver)
	return err
}

func (t *txn) Award(ctx context.Context, id string, lock bool) (domain.Award, error) {
	a, err := scanAward(t.q.QueryRow(ctx, `SELECT `+awardColumns+` FROM awards WHERE id = $1`+lockClause(lock), id))
	if err != nil {
		return a, one(err, "award "+id)
	}
	a.Complaints, err = t.complaints(ctx, a.ID)
	return a, err
}

func (t *txn) AwardOfTender(ctx context.Context, tenderID string) (domain.Award, bool, error) {
	a, err := scanAward(t.q.QueryRow(ctx, `SELECT `+awardColumns+` FROM awards WHERE tender_id = $1 FOR UPDATE`, tenderID))
	if err == pgx.ErrNoRows {
		return a, false, nil
	}
	return a, err == nil, err
}

func (t *txn) Awards(ctx context.Context, tenderID string) ([]domain.Award, error) {
	rows, err := t.q.Query(ctx, `SELECT `+awardColumns+` FROM awards WHERE $1 = '' OR tender_id = $1 ORDER BY decided_at DESC LIMIT 500`, tenderID)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Award, error) { return scanAward(r) })
	for i := range out {
		if err == nil {
			out[i].Complaints, err = t.complaints(ctx, out[i].ID)
		}
	}
	return out, err
}

func scanAward(r pgx.Row) (domain.Award, error) {
	var a domain.Award
	err := r.Scan(&a.ID, &a.TenderID, &a.BidID, &a.CompanyID, &a.Value, &a.Currency, &a.Status, &a.DecidedAt, &a.StandstillEnd, &a.StandstillOver)
	a.DecidedAt, a.StandstillEnd = a.DecidedAt.UTC(), a.StandstillEnd.UTC()
	return a, err
}

func (t *txn) complaints(ctx context.Context, awardID string) ([]domain.Complaint, error) {
	rows, err := t.q.Query(ctx, `SELECT id, award_id, company_id, text, status, resolution, filed_at FROM complaints
		WHERE award_id = $1 ORDER BY filed_at, id`, awardID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Complaint, error) {
		var c domain.Complaint
		err := r.Scan(&c.ID, &c.AwardID, &c.CompanyID, &c.Text, &c.Status, &c.Resolution, &c.FiledAt)
		return c, err
	})
}

func (t *txn) AddComplaint(ctx context.Context, c domain.Complaint) error {
	_, err := t.q.Exec(ctx, `INSERT INTO complaints (id, award_id, company_id, text, status, filed_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		c.ID, c.AwardID, c.CompanyID, c.Text, c.Status, c.FiledAt)
	return err
}

func (t *txn) UpdateComplaint(ctx context.Context, c domain.Complaint) error {
	_, err := t.q.Exec(ctx, `UPDATE complaints SET status = $2, resolution = $3 WHERE id = $1`, c.ID, c.Status, c.Resolution)
	return err
}

const contractColumns = `id, tender_id, award_id, company_id, value, currency, status, period_start, period_end, signed_at, payee_key, payee_value`

func (t *txn) AddContract(ctx context.Context, c domain.Contract) error {
	if _, err := t.q.Exec(ctx, `INSERT INTO contracts (`+contractColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		c.ID, c.TenderID, c.AwardID, c.CompanyID, c.Value, c.Currency, c.Status, c.PeriodStart, c.PeriodEnd, c.SignedAt, c.PayeeKey, c.PayeeValue); err != nil {
		return err
	}
	for i, m := range c.Milestones {
		if _, err := t.q.Exec(ctx, `INSERT INTO milestones (id, contract_id, position, title, amount, status, due_date)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, m.ID, c.ID, i+1, m.Title, m.Amount, m.Status, nullTime(m.DueDate)); err != nil {
			return err
		}
	}
	return nil
}

func (t *txn) UpdateContract(ctx context.Context, c domain.Contract) error {
	if _, err := t.q.Exec(ctx, `UPDATE contracts SET status = $2 WHERE id = $1`, c.ID, c.Status); err != nil {
		return err
	}
	for _, m := range c.Milestones {
		if _, err := t.q.Exec(ctx, `UPDATE milestones SET status = $2, delivered_at = $3, paid_at = $4, payment_batch_id = $5 WHERE id = $1`,
			m.ID, m.Status, nullTime(m.DeliveredAt), nullTime(m.PaidAt), m.PaymentBatchID); err != nil {
			return err
		}
	}
	return nil
}

func (t *txn) Contract(ctx context.Context, id string, lock bool) (domain.Contract, error) {
	c, err := scanContract(t.q.QueryRow(ctx, `SELECT `+contractColumns+` FROM contracts WHERE id = $1`+lockClause(lock), id))
	if err != nil {
		return c, one(err, "contract "+id)
	}
	c.Milestones, err = t.milestones(ctx, id)
	return c, err
}

func (t *txn) Contracts(ctx context.Context, tenderID string) ([]domain.Contract, error) {
	rows, err := t.q.Query(ctx, `SELECT `+contractColumns+` FROM contracts WHERE $1 = '' OR tender_id = $1 ORDER BY signed_at DESC LIMIT 500`, tenderID)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Contract, error) { return scanContract(r) })
	for i := range out {
		if err == nil {
			out[i].Milestones, err = t.milestones(ctx, out[i].ID)
		}
	}
	return out, err
}

func (t *txn) ContractOfMilestone(ctx context.Context, milestoneID string) (string, error) {
	var id string
	err := t.q.QueryRow(ctx, `SELECT contract_id FROM milestones WHERE id = $1`, milestoneID).Scan(&id)
	return id, one(err, "milestone "+milestoneID)
}

func scanContract(r pgx.Row) (domain.Contract, error) {
	var c domain.Contract
	err := r.Scan(&c.ID, &c.TenderID, &c.AwardID, &c.CompanyID, &c.Value, &c.Currency, &c.Status, &c.PeriodStart, &c.PeriodEnd,
		&c.SignedAt, &c.PayeeKey, &c.PayeeValue)
	return c, err
}

func (t *txn) milestones(ctx context.Context, contractID string) ([]domain.Milestone, error) {
	rows, err := t.q.Query(ctx, `SELECT id, contract_id, title, amount, status, payment_batch_id, due_date, delivered_at, paid_at
		FROM milestones WHERE contract_id = $1 ORDER BY position`, contractID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Milestone, error) {
		var m domain.Milestone
		var due, delivered, paid *time.Time
		err := r.Scan(&m.ID, &m.ContractID, &m.Title, &m.Amount, &m.Status, &m.PaymentBatchID, &due, &delivered, &paid)
		m.DueDate, m.DeliveredAt, m.PaidAt = deref(due), deref(delivered), deref(paid)
		return m, err
	})
}
