package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

const batchColumns = `id, tenant, client, correlation_id, callback_url, program_id, institution, payer, currency, status,
	approvals_required, approvals, authorized, auth_reason, auth_correlation_id, clearing_account_id,
	clearing_transfer_id, release_transfer_id, created_at, validated_at, authorized_at, completed_at`

func scanBatch(row pgx.Row) (domain.Batch, error) {
	var b domain.Batch
	var approvals []byte
	var validated, authorized, completed *time.Time
	err := row.Scan(&b.ID, &b.Tenant, &b.Client, &b.CorrelationID, &b.CallbackURL, &b.ProgramID, &b.Institution, &b.Payer,
		&b.Currency, &b.Status, &b.ApprovalsRequired, &approvals, &b.Authorized, &b.AuthReason, &b.AuthCorrelationID,
		&b.ClearingAccountID, &b.ClearingTransferID, &b.ReleaseTransferID, &b.CreatedAt, &validated, &authorized, &completed)
	if err != nil {
		return b, err
	}
	b.ValidatedAt, b.AuthorizedAt, b.CompletedAt = deref(validated), deref(authorized), deref(completed)
	return b, json.Unmarshal(approvals, &b.Approvals)
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func batchNotFound(id string) error {
	return apierr.NotFound(domain.ReasonBatchNotFound, fmt.Sprintf("no batch %q", id))
}

// batchWithStats reads one batch (optionally locking it) and counts its instructions.
func batchWithStats(ctx context.Context, q querier, tenant, id string, lock bool) (domain.Batch, error) {
	sql := `SELECT ` + batchColumns + ` FROM batch WHERE tenant = $1 AND id = $2`
	if lock {
		sql += ` FOR UPDATE`
	}
	b, err := scanBatch(q.QueryRow(ctx, sql, tenant, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return b, batchNotFound(id)
	}
	if err != nil {
		return b, err
	}
	b.Stats, err = batchStats(ctx, q, b.ID)
	return b, err
}

func batchStats(ctx context.Context, q querier, id string) (domain.BatchStats, error) {
	var s domain.BatchStats
	err := q.QueryRow(ctx, `SELECT count(*),
			count(*) FILTER (WHERE status = 'RECEIVED'),
			count(*) FILTER (WHERE status = 'VALID'),
			count(*) FILTER (WHERE status = 'INVALID'),
			count(*) FILTER (WHERE status IN ('SUBMITTING', 'SUBMITTED', 'IN_DOUBT')),
			count(*) FILTER (WHERE status = 'COMPLETED'),
			count(*) FILTER (WHERE status IN ('FAILED', 'REVERSED')),
			coalesce(sum(amount), 0),
			coalesce(sum(amount) FILTER (WHERE status NOT IN ('RECEIVED', 'INVALID')), 0),
			coalesce(sum(amount) FILTER (WHERE status = 'INVALID'), 0),
			coalesce(sum(amount) FILTER (WHERE status IN ('SUBMITTING', 'SUBMITTED', 'IN_DOUBT')), 0),
			coalesce(sum(amount) FILTER (WHERE status = 'COMPLETED'), 0),
			coalesce(sum(amount) FILTER (WHERE status IN ('FAILED', 'REVERSED')), 0)
		FROM instruction WHERE batch_id = $1`, id).
		Scan(&s.Total, &s.Received, &s.Valid, &s.Invalid, &s.Ongoing, &s.Completed, &s.Failed,
			&s.TotalAmount, &s.ValidAmount, &s.InvalidAmount, &s.OngoingAmount, &s.CompletedAmount, &s.FailedAmount)
	return s, err
}

// Batch reads a batch of tenant with its stats.
func (s *Store) Batch(ctx context.Context, tenant, id string) (domain.Batch, error) {
	b, err := batchWithStats(ctx, s.pool, tenant, id, false)
	return b, mapErr(err)
}

// CountBatches counts tenant's batches by status.
func (s *Store) CountBatches(ctx context.Context, tenant string) (map[domain.BatchStatus]int, error) {
	rows, err := s.pool.Query(ctx, `SELECT status, count(*) FROM batch WHERE tenant = $1 GROUP BY status`, tenant)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[domain.BatchStatus]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, mapErr(err)
		}
		out[domain.BatchStatus(st)] = n
	}
	return out, mapErr(rows.Err())
}

// BatchByCorrelation finds the batch a client handed over under a correlation id.
func (s *Store) BatchByCorrelation(ctx context.Context, tenant, client, correlationID string) (domain.Batch, bool, error) {
	var id string
	err := s.pool.QueryRow(ctx, `SELECT id FROM batch WHERE tenant = $1 AND client = $2 AND correlation_id = $3`,
		tenant, client, correlationID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) || correlationID == "" {
		return domain.Batch{}, false, nil
	}
	if err != nil {
		return domain.Batch{}, false, mapErr(err)
	}
	b, err := s.Batch(ctx, tenant, id)
	return b, err == nil, err
}

// ClaimBatchToValidate leases one received batch whose lease ended or was never taken.
func (s *Store) ClaimBatchToValidate(ctx context.Context, now time.Time, lease time.Duration) (domain.Batch, bool, error) {
	b, err := scanBatch(s.pool.QueryRow(ctx, `UPDATE batch SET lease_until = $2
		WHERE id = (SELECT id FROM batch WHERE status = 'RECEIVED' AND (lease_until IS NULL OR lease_until < $1)
		            ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
		RETURNING `+batchColumns, now, now.Add(lease)))
	if errors.Is(err, pgx.ErrNoRows) {
		return b, false, nil
	}
	return b, err == nil, mapErr(err)
}

// BatchesToComplete lists authorised batches none of whose instructions is still to pay or in flight.
func (s *Store) BatchesToComplete(ctx context.Context, limit int) ([]domain.Batch, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+batchColumns+` FROM batch b WHERE status = 'AUTHORIZED'
		AND NOT EXISTS (SELECT 1 FROM instruction i WHERE i.batch_id = b.id
		                AND i.status IN ('RECEIVED', 'VALID', 'SUBMITTING', 'SUBMITTED', 'IN_DOUBT'))
		ORDER BY created_at LIMIT $1`, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	bs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Batch, error) { return scanBatch(r) })
	return bs, mapErr(err)
}

func (t *tx) LockBatch(ctx context.Context, tenant, id string) (domain.Batch, error) {
	return batchWithStats(ctx, t.tx, tenant, id, true)
}

func (t *tx) UpdateBatch(ctx context.Context, b domain.Batch) error {
	approvals, err := json.Marshal(orEmpty(b.Approvals))
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, `UPDATE batch SET status = $2, payer = $3, callback_url = $4, approvals = $5, authorized = $6,
		auth_reason = $7, auth_correlation_id = $8, clearing_account_id = $9, clearing_transfer_id = $10,
		release_transfer_id = $11, validated_at = $12, authorized_at = $13, completed_at = $14, lease_until = NULL
		WHERE id = $1`, b.ID, b.Status, b.Payer, b.CallbackURL, approvals, b.Authorized, b.AuthReason, b.AuthCorrelationID,
		b.ClearingAccountID, b.ClearingTransferID, b.ReleaseTransferID, nullTime(b.ValidatedAt), nullTime(b.AuthorizedAt),
		nullTime(b.CompletedAt))
	return err
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// InsertBatch stores a batch and copies its instructions in. Instruction ids the tenant used before are
// listed in the refusal.
func (t *tx) InsertBatch(ctx context.Context, b domain.Batch, ins []domain.Instruction) error {
	ids := make([]string, len(ins))
	for i, in := range ins {
		ids[i] = in.ID
	}
	if err := usedInstructionIDs(ctx, t.tx, b.Tenant, ids); err != nil {
		return err
	}
	_, err := t.tx.Exec(ctx, `INSERT INTO batch (id, tenant, client, correlation_id, callback_url, program_id, institution,
		payer, currency, status, approvals_required, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		b.ID, b.Tenant, b.Client, b.CorrelationID, b.CallbackURL, b.ProgramID, b.Institution, b.Payer, b.Currency, b.Status,
		b.ApprovalsRequired, b.CreatedAt)
	if err != nil {
		return err
	}
	rows := make([][]any, len(ins))
	for i, in := range ins {
		refs, err := json.Marshal(orEmptyMap(in.References))
		if err != nil {
			return err
		}
		rows[i] = []any{in.BatchID, in.Seq, in.ID, in.RailID, in.Tenant, in.Payee.Identity, in.Payee.Account.Modality,
			in.Payee.Account.FinancialAddress, in.Payee.Account.FSP, in.Amount, in.Currency, in.Narration, refs, string(in.Status)}
	}
	_, err = t.tx.CopyFrom(ctx, pgx.Identifier{"instruction"}, []string{"batch_id", "seq", "id", "rail_id", "tenant",
		"payee_identity", "modality", "financial_address", "fsp", "amount", "currency", "narration", "refs", "status"},
		pgx.CopyFromRows(rows))
	if isUnique(err, "instruction_tenant_id_key") {
		return apierr.Invalid(domain.ReasonDuplicateInstruction,
			"an instruction of this batch was handed over in another batch at the same moment; each payment is made once")
	}
	return err
}

// usedInstructionIDs refuses ids the tenant already handed over, listing them.
func usedInstructionIDs(ctx context.Context, q querier, tenant string, ids []string) error {
	rows, err := q.Query(ctx, `SELECT id, batch_id FROM instruction WHERE tenant = $1 AND id = ANY($2) ORDER BY id LIMIT 50`, tenant, ids)
	if err != nil {
		return err
	}
	type used struct{ id, batch string }
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (used, error) {
		var u used
		return u, r.Scan(&u.id, &u.batch)
	})
	if err != nil || len(found) == 0 {
		return err
	}
	vs := make([]apierr.FieldViolation, len(found))
	names := make([]string, len(found))
	for i, u := range found {
		vs[i] = apierr.FieldViolation{Field: "requestId", Description: fmt.Sprintf("%q was already handed over in batch %s", u.id, u.batch)}
		names[i] = fmt.Sprintf("%q", u.id)
	}
	return apierr.Invalid(domain.ReasonDuplicateInstruction, fmt.Sprintf(
		"instruction(s) %s were already handed over in another batch; each payment is made once", strings.Join(names, ", ")), vs...)
}

func orEmptyMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
