package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// SaveValidation stores a new validation job and its items, or (for a job that exists) its items' outcome.
func (t *tx) SaveValidation(ctx context.Context, v domain.Validation) error {
	status := map[bool]string{true: "DONE", false: "PENDING"}[v.Done]
	var done *time.Time
	if v.Done {
		now := time.Now().UTC()
		done = &now
	}
	tag, err := t.tx.Exec(ctx, `INSERT INTO validation (id, tenant, client, correlation_id, callback_url, status, created_at, done_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (tenant, id) DO UPDATE SET status = EXCLUDED.status, done_at = EXCLUDED.done_at, lease_until = NULL
		WHERE validation.client = EXCLUDED.client`,
		v.ID, v.Tenant, v.Client, v.CorrelationID, v.CallbackURL, status, v.CreatedAt, done)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return errValidationTaken(v.ID)
	}
	n := len(v.Items)
	ids, modalities, addresses, fsps, statuses, reasons := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, it := range v.Items {
		ids[i], modalities[i], addresses[i], fsps[i], statuses[i], reasons[i] = it.InstructionID, it.Account.Modality,
			it.Account.FinancialAddress, it.Account.FSP, it.Status, it.Reason
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO validation_item (tenant, validation_id, instruction_id, modality, financial_address, fsp, status, reason)
		SELECT $1, $2, u.id, u.modality, u.address, u.fsp, u.status, u.reason
		FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u(id, modality, address, fsp, status, reason)
		ON CONFLICT (tenant, validation_id, instruction_id) DO UPDATE SET status = EXCLUDED.status, reason = EXCLUDED.reason`,
		v.Tenant, v.ID, ids, modalities, addresses, fsps, statuses, reasons)
	return err
}

// Validation reads a validation job with its items.
func (s *Store) Validation(ctx context.Context, tenant, id string) (domain.Validation, bool, error) {
	v, err := readValidation(ctx, s.pool, `SELECT id, tenant, client, correlation_id, callback_url, status, created_at
		FROM validation WHERE tenant = $1 AND id = $2`, tenant, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, false, nil
	}
	return v, err == nil, mapErr(err)
}

// ClaimValidation leases one pending validation job.
func (s *Store) ClaimValidation(ctx context.Context, now time.Time, lease time.Duration) (domain.Validation, bool, error) {
	v, err := readValidation(ctx, s.pool, `UPDATE validation SET lease_until = $2
		WHERE (tenant, id) = (SELECT tenant, id FROM validation WHERE status = 'PENDING' AND (lease_until IS NULL OR lease_until < $1)
		                      ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
		RETURNING id, tenant, client, correlation_id, callback_url, status, created_at`, now, now.Add(lease))
	if errors.Is(err, pgx.ErrNoRows) {
		return v, false, nil
	}
	return v, err == nil, mapErr(err)
}

func readValidation(ctx context.Context, q querier, sql string, args ...any) (domain.Validation, error) {
	var v domain.Validation
	var status string
	if err := q.QueryRow(ctx, sql, args...).Scan(&v.ID, &v.Tenant, &v.Client, &v.CorrelationID, &v.CallbackURL, &status, &v.CreatedAt); err != nil {
		return v, err
	}
	v.Done = status == "DONE"
	rows, err := q.Query(ctx, `SELECT instruction_id, modality, financial_address, fsp, status, reason FROM validation_item
		WHERE tenant = $1 AND validation_id = $2 ORDER BY instruction_id`, v.Tenant, v.ID)
	if err != nil {
		return v, err
	}
	v.Items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ValidationItem, error) {
		var it domain.ValidationItem
		return it, r.Scan(&it.InstructionID, &it.Account.Modality, &it.Account.FinancialAddress, &it.Account.FSP, &it.Status, &it.Reason)
	})
	return v, err
}

func errValidationTaken(id string) error {
	return apierr.AlreadyExists("VALIDATION_EXISTS", "another client already asked for a validation under batchId "+id)
}
