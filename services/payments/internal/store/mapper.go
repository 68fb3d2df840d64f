package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

func beneficiaries(ctx context.Context, q querier, tenant string, ids []string, activeOnly, lock bool) (map[string]domain.Beneficiary, error) {
	sql := `SELECT payee_identity, modality, financial_address, fsp, institution, active, updated_at FROM beneficiary
		WHERE tenant = $1 AND payee_identity = ANY($2)`
	if activeOnly {
		sql += ` AND active`
	}
	if lock {
		sql += ` ORDER BY payee_identity FOR UPDATE`
	}
	rows, err := q.Query(ctx, sql, tenant, ids)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Beneficiary, error) {
		b := domain.Beneficiary{Tenant: tenant}
		err := r.Scan(&b.Identity, &b.Account.Modality, &b.Account.FinancialAddress, &b.Account.FSP, &b.Institution, &b.Active, &b.UpdatedAt)
		return b, err
	})
	out := make(map[string]domain.Beneficiary, len(list))
	for _, b := range list {
		out[b.Identity] = b
	}
	return out, err
}

// Beneficiaries returns the active mappings of identities of tenant.
func (s *Store) Beneficiaries(ctx context.Context, tenant string, ids []string) (map[string]domain.Beneficiary, error) {
	m, err := beneficiaries(ctx, s.pool, tenant, ids, true, false)
	return m, mapErr(err)
}

func (t *tx) LockBeneficiaries(ctx context.Context, tenant string, ids []string) (map[string]domain.Beneficiary, error) {
	return beneficiaries(ctx, t.tx, tenant, ids, false, true)
}

func (t *tx) SaveBeneficiaries(ctx context.Context, tenant string, bs []domain.Beneficiary) error {
	for _, b := range bs {
		if _, err := t.tx.Exec(ctx, `INSERT INTO beneficiary (tenant, payee_identity, modality, financial_address, fsp,
			institution, active, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (tenant, payee_identity) DO UPDATE SET modality = EXCLUDED.modality,
				financial_address = EXCLUDED.financial_address, fsp = EXCLUDED.fsp, active = EXCLUDED.active,
				updated_at = EXCLUDED.updated_at`,
			tenant, b.Identity, b.Account.Modality, b.Account.FinancialAddress, b.Account.FSP, b.Institution, b.Active, b.UpdatedAt); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) InsertMapperRequest(ctx context.Context, r domain.MapperRequest) error {
	failed, err := json.Marshal(orEmpty(r.Failed))
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO mapper_request (tenant, request_id, institution, failed, created_at)
		VALUES ($1, $2, $3, $4, $5)`, r.Tenant, r.RequestID, r.Institution, failed, r.CreatedAt)
	if isUnique(err, "mapper_request_pkey") {
		return apierr.AlreadyExists("REQUEST_ID_USED", fmt.Sprintf("RequestID %q was already used for another request", r.RequestID))
	}
	return err
}

// MapperRequest reads the outcome of a register or update request.
func (s *Store) MapperRequest(ctx context.Context, tenant, requestID string) (domain.MapperRequest, error) {
	r := domain.MapperRequest{Tenant: tenant, RequestID: requestID}
	var failed []byte
	err := s.pool.QueryRow(ctx, `SELECT institution, failed, created_at FROM mapper_request WHERE tenant = $1 AND request_id = $2`,
		tenant, requestID).Scan(&r.Institution, &failed, &r.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, apierr.NotFound("REQUEST_NOT_FOUND", fmt.Sprintf("no register or update request %q", requestID))
	}
	if err != nil {
		return r, mapErr(err)
	}
	return r, json.Unmarshal(failed, &r.Failed)
}

// Callback queues a callback.
func (t *tx) Callback(ctx context.Context, c domain.Callback) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO callback (id, tenant, url, kind, subject, next_attempt_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, c.Tenant, c.URL, string(c.Kind), c.Subject, c.NextAttemptAt, c.CreatedAt)
	return err
}

// ClaimCallbacks leases due callbacks.
func (s *Store) ClaimCallbacks(ctx context.Context, now, next time.Time, limit int) ([]domain.Callback, error) {
	rows, err := s.pool.Query(ctx, `UPDATE callback SET next_attempt_at = $2
		WHERE id IN (SELECT id FROM callback WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1
		             ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING id, tenant, url, kind, subject, attempts, next_attempt_at, created_at`, now, next, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	cs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Callback, error) {
		var c domain.Callback
		err := r.Scan(&c.ID, &c.Tenant, &c.URL, &c.Kind, &c.Subject, &c.Attempts, &c.NextAttemptAt, &c.CreatedAt)
		return c, err
	})
	return cs, mapErr(err)
}

// CallbackDone records one delivery attempt.
func (s *Store) CallbackDone(ctx context.Context, id string, at time.Time, failure error, retryAt time.Time, giveUp bool) error {
	var err error
	switch {
	case failure == nil:
		_, err = s.pool.Exec(ctx, `UPDATE callback SET attempts = attempts + 1, delivered_at = $2, last_error = '' WHERE id = $1`, id, at)
	case giveUp:
		_, err = s.pool.Exec(ctx, `UPDATE callback SET attempts = attempts + 1, gave_up_at = $2, last_error = $3 WHERE id = $1`,
			id, at, clipText(failure.Error()))
	default:
		_, err = s.pool.Exec(ctx, `UPDATE callback SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE id = $1`,
			id, retryAt, clipText(failure.Error()))
	}
	return mapErr(err)
}

func clipText(s string) string {
	if len(s) > 500 {
		return s[:500]
	}
	return s
}

// Audit appends to the audit log.
func (t *tx) Audit(ctx context.Context, e domain.AuditEntry) error {
	details, err := json.Marshal(e.Details)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO audit_log (at, tenant, client, actor, action, object, details)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, e.At, e.Tenant, e.Client, e.Actor, e.Action, e.Object, details)
	return err
}
