package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/pgstore"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

const bidColumns = `id, tender_id, company_id, supplier_id, supplier_email, status, sealed, opened, coalesce(price, ''),
	coalesce(proposal, ''), coalesce(documents, '[]'), submitted_at, updated_at, disqualification_reason, coalesce(total_score, 0), coalesce(rank, 0)`

func (t *txn) AddBid(ctx context.Context, b domain.Bid) error {
	_, err := t.q.Exec(ctx, `INSERT INTO bids (id, tender_id, company_id, supplier_id, supplier_email, status, sealed,
		submitted_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		b.ID, b.TenderID, b.CompanyID, b.SupplierID, b.SupplierEmail, b.Status, b.Sealed, b.SubmittedAt, b.UpdatedAt)
	return pgstore.MapError(err) // mapped here: the use case tells a second bid from other failures
}

// UpdateBid writes the contents in clear only once the bid is opened (the table refuses them before).
func (t *txn) UpdateBid(ctx context.Context, b domain.Bid) error {
	var price, proposal *string
	var docs []byte // NULL until opened
	var total *int64
	var rank *int
	if b.Opened {
		price, proposal = &b.Contents.Price, &b.Contents.Proposal
		docs, _ = json.Marshal(orEmpty(b.Contents.Documents))
	}
	if b.Rank > 0 {
		total, rank = &b.TotalScore, &b.Rank
	}
	_, err := t.q.Exec(ctx, `UPDATE bids SET status = $2, sealed = $3, opened = $4, price = $5, proposal = $6, updated_at = $7,
		disqualification_reason = $8, total_score = $9, rank = $10, documents = $11 WHERE id = $1`,
		b.ID, b.Status, b.Sealed, b.Opened, price, proposal, b.UpdatedAt, b.DisqualificationReason, total, rank, docs)
	return err
}

func (t *txn) Bid(ctx context.Context, tenderID, id string, lock bool) (domain.Bid, error) {
	b, err := scanBid(t.q.QueryRow(ctx, `SELECT `+bidColumns+` FROM bids WHERE tender_id = $1 AND id = $2`+lockClause(lock), tenderID, id))
	return b, one(err, "bid "+id+" of tender "+tenderID)
}

func (t *txn) Bids(ctx context.Context, tenderID string) ([]domain.Bid, error) {
	rows, err := t.q.Query(ctx, `SELECT `+bidColumns+` FROM bids WHERE tender_id = $1
		ORDER BY coalesce(rank, 2147483647), submitted_at, id`, tenderID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Bid, error) { return scanBid(r) })
}

func scanBid(r pgx.Row) (domain.Bid, error) {
	var b domain.Bid
	var docs []byte
	err := r.Scan(&b.ID, &b.TenderID, &b.CompanyID, &b.SupplierID, &b.SupplierEmail, &b.Status, &b.Sealed, &b.Opened,
		&b.Contents.Price, &b.Contents.Proposal, &docs, &b.SubmittedAt, &b.UpdatedAt, &b.DisqualificationReason, &b.TotalScore, &b.Rank)
	b.SubmittedAt, b.UpdatedAt = b.SubmittedAt.UTC(), b.UpdatedAt.UTC()
	if err == nil {
		err = json.Unmarshal(docs, &b.Contents.Documents)
	}
	return b, err
}

func (t *txn) AddQuestion(ctx context.Context, q domain.Question) error {
	_, err := t.q.Exec(ctx, `INSERT INTO questions (id, tender_id, asked_by, asker_email, text, asked_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		q.ID, q.TenderID, q.AskedBy, q.AskerEmail, q.Text, q.AskedAt)
	return err
}

const questionColumns = `id, tender_id, asked_by, asker_email, text, answer, asked_at, answered_at`

func (t *txn) Question(ctx context.Context, tenderID, id string, lock bool) (domain.Question, error) {
	q, err := scanQuestion(t.q.QueryRow(ctx, `SELECT `+questionColumns+` FROM questions WHERE tender_id = $1 AND id = $2`+lockClause(lock), tenderID, id))
	return q, one(err, "question "+id+" of tender "+tenderID)
}

func (t *txn) AnswerQuestion(ctx context.Context, q domain.Question) error {
	_, err := t.q.Exec(ctx, `UPDATE questions SET answer = $2, answered_at = $3 WHERE id = $1`, q.ID, q.Answer, q.AnsweredAt)
	return err
}

func (t *txn) Questions(ctx context.Context, tenderID string) ([]domain.Question, error) {
	rows, err := t.q.Query(ctx, `SELECT `+questionColumns+` FROM questions WHERE tender_id = $1 ORDER BY asked_at, id`, tenderID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Question, error) { return scanQuestion(r) })
}

func scanQuestion(r pgx.Row) (domain.Question, error) {
	var q domain.Question
	var answered *time.Time
	err := r.Scan(&q.ID, &q.TenderID, &q.AskedBy, &q.AskerEmail, &q.Text, &q.Answer, &q.AskedAt, &answered)
	q.AnsweredAt = deref(answered)
	return q, err
}

func (t *txn) Followers(ctx context.Context, tenderID string) ([]string, error) {
	rows, err := t.q.Query(ctx, `SELECT DISTINCT e FROM (
		SELECT asker_email AS e FROM questions WHERE tender_id = $1 UNION SELECT supplier_email FROM bids WHERE tender_id = $1) f
		WHERE e <> '' ORDER BY e`, tenderID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func (t *txn) Declaration(ctx context.Context, tenderID, evaluatorID string) (domain.Declaration, bool, error) {
	d := domain.Declaration{TenderID: tenderID, EvaluatorID: evaluatorID}
	err := t.q.QueryRow(ctx, `SELECT conflict, statement, declared_at FROM declarations WHERE tender_id = $1 AND evaluator_id = $2`,
		tenderID, evaluatorID).Scan(&d.Conflict, &d.Statement, &d.At)
	if err == pgx.ErrNoRows {
		return d, false, nil
	}
	return d, err == nil, err
}

func (t *txn) SaveDeclaration(ctx context.Context, d domain.Declaration) error {
	_, err := t.q.Exec(ctx, `INSERT INTO declarations (tender_id, evaluator_id, conflict, statement, declared_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (tender_id, evaluator_id) DO UPDATE SET conflict = excluded.conflict, statement = excluded.statement,
		declared_at = excluded.declared_at`, d.TenderID, d.EvaluatorID, d.Conflict, d.Statement, d.At)
	return err
}

func (t *txn) ReplaceScores(ctx context.Context, tenderID, bidID, evaluatorID string, scores []domain.Score) error {
	if _, err := t.q.Exec(ctx, `DELETE FROM scores WHERE bid_id = $1 AND evaluator_id = $2`, bidID, evaluatorID); err != nil {
		return err
	}
	for _, s := range scores {
		if _, err := t.q.Exec(ctx, `INSERT INTO scores (tender_id, bid_id, criterion_id, evaluator_id, score, reason, scored_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, tenderID, bidID, s.CriterionID, evaluatorID, s.Score, s.Reason, s.At); err != nil {
			return err
		}
	}
	return nil
}

func (t *txn) Scores(ctx context.Context, tenderID string) ([]domain.Score, error) {
	rows, err := t.q.Query(ctx, `SELECT bid_id, criterion_id, evaluator_id, score, reason, scored_at FROM scores
		WHERE tender_id = $1 ORDER BY bid_id, criterion_id, evaluator_id`, tenderID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Score, error) {
		var s domain.Score
		err := r.Scan(&s.BidID, &s.CriterionID, &s.EvaluatorID, &s.Score, &s.Reason, &s.At)
		return s, err
	})
}

func (t *txn) Audit(ctx context.Context, e domain.AuditEntry) error {
	_, err := t.q.Exec(ctx, `INSERT INTO audit (tender_id, actor, action, subject, detail, at) VALUES ($1, $2, $3, $4, $5, $6)`,
		e.TenderID, e.Actor, e.Action, e.Subject, e.Detail, e.At)
	return err
}

func (t *txn) AuditTrail(ctx context.Context, tenderID string) ([]domain.AuditEntry, error) {
	rows, err := t.q.Query(ctx, `SELECT tender_id, actor, action, subject, detail, at FROM audit WHERE tender_id = $1 ORDER BY id`, tenderID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.AuditEntry, error) {
		var e domain.AuditEntry
		err := r.Scan(&e.TenderID, &e.Actor, &e.Action, &e.Subject, &e.Detail, &e.At)
		return e, err
	})
}
