package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

const voucherColumns = `serial, tenant, client, instruction_id, group_code, payee_identity, program_id, narration, currency,
	amount, status, number_hash, transfer_id, failed_attempts, agent_id, redemption_id, expires_at, created_at, redeemed_at`

func scanVoucher(row pgx.Row) (domain.Voucher, error) {
	var v domain.Voucher
	var redeemed *time.Time
	err := row.Scan(&v.Serial, &v.Tenant, &v.Client, &v.InstructionID, &v.GroupCode, &v.PayeeIdentity, &v.ProgramID,
		&v.Narration, &v.Currency, &v.Amount, &v.Status, &v.NumberHash, &v.TransferID, &v.FailedAttempts, &v.AgentID,
		&v.RedemptionID, &v.ExpiresAt, &v.CreatedAt, &redeemed)
	v.RedeemedAt = deref(redeemed)
	return v, err
}

func voucherNotFound(what string) error {
	return apierr.NotFound(domain.ReasonVoucherNotFound, "no voucher "+what)
}

// NextVoucherSerials draws n serial numbers: ten digits, in the order vouchers are made.
func (t *tx) NextVoucherSerials(ctx context.Context, n int) ([]string, error) {
	rows, err := t.tx.Query(ctx, `SELECT nextval('voucher_serial') FROM generate_series(1, $1)`, n)
	if err != nil {
		return nil, err
	}
	nums, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	out := make([]string, len(nums))
	for i, n := range nums {
		out[i] = fmt.Sprintf("%010d", n)
	}
	return out, err
}

func (t *tx) InsertVouchers(ctx context.Context, vs []domain.Voucher) error {
	for _, v := range vs {
		_, err := t.tx.Exec(ctx, `INSERT INTO voucher (serial, tenant, client, instruction_id, group_code, payee_identity,
			program_id, narration, currency, amount, status, number_hash, transfer_id, expires_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			v.Serial, v.Tenant, v.Client, v.InstructionID, v.GroupCode, v.PayeeIdentity, v.ProgramID, v.Narration, v.Currency,
			v.Amount, string(v.Status), v.NumberHash, v.TransferID, v.ExpiresAt, v.CreatedAt)
		if err != nil {
			return err
		}
	}
	return nil
}

// LockVoucher reads a voucher of tenant (any tenant for "") by serial and locks it: two redemptions of one voucher queue here,
// and the second finds it redeemed.
func (t *tx) LockVoucher(ctx context.Context, tenant, serial string) (domain.Voucher, error) {
	v, err := scanVoucher(t.tx.QueryRow(ctx, `SELECT `+voucherColumns+` FROM voucher WHERE ($1 = '' OR tenant = $1) AND serial = $2 FOR UPDATE`, tenant, serial))
	if errors.Is(err, pgx.ErrNoRows) {
		return v, voucherNotFound(serial)
	}
	return v, err
}

// LockVoucherByNumber finds (and locks) the voucher of a number's HMAC: the 1.0 redemption names no serial.
func (t *tx) LockVoucherByNumber(ctx context.Context, tenant string, hash []byte) (domain.Voucher, error) {
	v, err := scanVoucher(t.tx.QueryRow(ctx, `SELECT `+voucherColumns+` FROM voucher WHERE ($1 = '' OR tenant = $1) AND number_hash = $2 FOR UPDATE`, tenant, hash))
	if errors.Is(err, pgx.ErrNoRows) {
		return v, apierr.Invalid(domain.ReasonVoucherNumber, "no voucher has this number")
	}
	return v, err
}

// VoucherByTransfer finds the voucher a reservation belongs to, locked; found is false when none does.
func (t *tx) VoucherByTransfer(ctx context.Context, transferID string) (domain.Voucher, bool, error) {
	v, err := scanVoucher(t.tx.QueryRow(ctx, `SELECT `+voucherColumns+` FROM voucher WHERE transfer_id = $1 FOR UPDATE`, transferID))
	if errors.Is(err, pgx.ErrNoRows) {
		return v, false, nil
	}
	return v, err == nil, err
}

func (t *tx) UpdateVoucher(ctx context.Context, v domain.Voucher) error {
	_, err := t.tx.Exec(ctx, `UPDATE voucher SET status = $2, failed_attempts = $3, agent_id = $4, redemption_id = $5,
		redeemed_at = $6 WHERE serial = $1`, v.Serial, string(v.Status), v.FailedAttempts, v.AgentID, v.RedemptionID, nullTime(v.RedeemedAt))
	return err
}

// Voucher reads a voucher of tenant by serial.
func (s *Store) Voucher(ctx context.Context, tenant, serial string) (domain.Voucher, error) {
	v, err := scanVoucher(s.pool.QueryRow(ctx, `SELECT `+voucherColumns+` FROM voucher WHERE ($1 = '' OR tenant = $1) AND serial = $2`, tenant, serial))
	if errors.Is(err, pgx.ErrNoRows) {
		return v, voucherNotFound(serial)
	}
	return v, mapErr(err)
}

// VoucherKey returns the database's voucher HMAC key, drawing it the first time.
func (s *Store) VoucherKey(ctx context.Context) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO voucher_key (key) VALUES ($1) ON CONFLICT DO NOTHING`, fresh); err != nil {
		return nil, mapErr(err)
	}
	var key []byte
	err := s.pool.QueryRow(ctx, `SELECT key FROM voucher_key`).Scan(&key)
	return key, mapErr(err)
}
