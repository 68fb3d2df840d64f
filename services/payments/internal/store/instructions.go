package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

const instructionColumns = `batch_id, seq, id, rail_id, tenant, payee_identity, modality, financial_address, fsp, rail,
	amount, currency, narration, refs, status, reason, rail_ref, attempts, transfer_id, submitted_at, completed_at`

func scanInstruction(row pgx.Row) (domain.Instruction, error) {
	var in domain.Instruction
	var refs []byte
	var submitted, completed *time.Time
	err := row.Scan(&in.BatchID, &in.Seq, &in.ID, &in.RailID, &in.Tenant, &in.Payee.Identity, &in.Payee.Account.Modality,
		&in.Payee.Account.FinancialAddress, &in.Payee.Account.FSP, &in.Rail, &in.Amount, &in.Currency, &in.Narration, &refs,
		&in.Status, &in.Reason, &in.RailRef, &in.Attempts, &in.TransferID, &submitted, &completed)
	if err != nil {
		return in, err
	}
	in.SubmittedAt, in.CompletedAt = deref(submitted), deref(completed)
	return in, json.Unmarshal(refs, &in.References)
}

func collectInstructions(rows pgx.Rows, err error) ([]domain.Instruction, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Instruction, error) { return scanInstruction(r) })
}

// Instructions pages through a batch's instructions in order, optionally of one status.
func (s *Store) Instructions(ctx context.Context, batchID string, status domain.InstructionStatus, offset, limit int) ([]domain.Instruction, error) {
	ins, err := collectInstructions(s.pool.Query(ctx, `SELECT `+instructionColumns+` FROM instruction
		WHERE batch_id = $1 AND ($2 = '' OR status = $2) ORDER BY seq OFFSET $3 LIMIT $4`, batchID, string(status), offset, limit))
	return ins, mapErr(err)
}

// ClaimInFlight leases payments whose next check is due.
func (s *Store) ClaimInFlight(ctx context.Context, now, next time.Time, limit int) ([]domain.Instruction, error) {
	ins, err := collectInstructions(s.pool.Query(ctx, `UPDATE instruction SET next_check_at = $2
		WHERE (batch_id, seq) IN (SELECT batch_id, seq FROM instruction
			WHERE status IN ('SUBMITTING', 'SUBMITTED', 'IN_DOUBT') AND next_check_at <= $1
			ORDER BY next_check_at LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING `+instructionColumns, now, next, limit))
	return ins, mapErr(err)
}

// SetValidated records validation outcomes of a batch's instructions (by seq).
func (t *tx) SetValidated(ctx context.Context, batchID string, ins []domain.Instruction) error {
	n := len(ins)
	seqs, statuses, reasons, rails := make([]int32, n), make([]string, n), make([]string, n), make([]string, n)
	modalities, addresses, fsps := make([]string, n), make([]string, n), make([]string, n)
	for i, in := range ins {
		seqs[i], statuses[i], reasons[i], rails[i] = int32(in.Seq), string(in.Status), in.Reason, in.Rail
		modalities[i], addresses[i], fsps[i] = in.Payee.Account.Modality, in.Payee.Account.FinancialAddress, in.Payee.Account.FSP
	}
	_, err := t.tx.Exec(ctx, `UPDATE instruction i SET status = u.status, reason = u.reason, rail = u.rail,
			modality = u.modality, financial_address = u.address, fsp = u.fsp
		FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
			AS u(seq, status, reason, rail, modality, address, fsp)
		WHERE i.batch_id = $1 AND i.seq = u.seq AND i.status = 'RECEIVED'`,
		batchID, seqs, statuses, reasons, rails, modalities, addresses, fsps)
	return err
}

// ClaimForSubmission locks valid instructions of authorised batches, skipping those another replica holds.
func (t *tx) ClaimForSubmission(ctx context.Context, limit int) ([]domain.Instruction, error) {
	return collectInstructions(t.tx.Query(ctx, `SELECT `+instructionColumns+` FROM instruction i
		WHERE i.status = 'VALID' AND i.batch_id IN (SELECT id FROM batch WHERE status = 'AUTHORIZED')
		ORDER BY i.batch_id, i.seq LIMIT $1 FOR UPDATE OF i SKIP LOCKED`, limit))
}

// LockInstructions locks instructions by rail id, in rail id order (so concurrent lockers do not deadlock).
func (t *tx) LockInstructions(ctx context.Context, railIDs []string) ([]domain.Instruction, error) {
	return collectInstructions(t.tx.Query(ctx, `SELECT `+instructionColumns+` FROM instruction
		WHERE rail_id = ANY($1) ORDER BY rail_id FOR UPDATE`, railIDs))
}

// UpdateInstructions saves instructions' state.
func (t *tx) UpdateInstructions(ctx context.Context, ins []domain.Instruction, next time.Time) error {
	if len(ins) == 0 {
		return nil
	}
	n := len(ins)
	ids, statuses, reasons, refs, transfers := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	attempts := make([]int32, n)
	submitted, completed := make([]*time.Time, n), make([]*time.Time, n)
	for i, in := range ins {
		ids[i], statuses[i], reasons[i], refs[i], transfers[i] = in.RailID, string(in.Status), in.Reason, in.RailRef, in.TransferID
		attempts[i], submitted[i], completed[i] = int32(in.Attempts), nullTime(in.SubmittedAt), nullTime(in.CompletedAt)
	}
	_, err := t.tx.Exec(ctx, `UPDATE instruction i SET status = u.status, reason = u.reason, rail_ref = u.ref,
			transfer_id = u.transfer, attempts = u.attempts, submitted_at = u.submitted, completed_at = u.completed,
			next_check_at = CASE WHEN u.status IN ('SUBMITTING', 'SUBMITTED', 'IN_DOUBT') THEN $1::timestamptz END
		FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::timestamptz[], $9::timestamptz[])
			AS u(rail_id, status, reason, ref, transfer, attempts, submitted, completed)
		WHERE i.rail_id = u.rail_id`, next, ids, statuses, reasons, refs, transfers, attempts, submitted, completed)
	return err
}

// LockInstruction reads and locks the instruction a tenant handed over under id.
func (t *tx) LockInstruction(ctx context.Context, tenant, id string) (domain.Instruction, error) {
	ins, err := collectInstructions(t.tx.Query(ctx, `SELECT `+instructionColumns+` FROM instruction
		WHERE tenant = $1 AND id = $2 FOR UPDATE`, tenant, id))
	if err == nil && len(ins) == 0 {
		return domain.Instruction{}, apierr.NotFound("PAYMENT_NOT_FOUND", "no payment "+id)
	}
	if err != nil {
		return domain.Instruction{}, err
	}
	return ins[0], nil
}
