package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

const billColumns = `id, biller_id, biller_name, tenant, biller_client, callback_url, status, due_date, amount_on_due,
	amount_after_due, currency, amount_paid, paid_at, payment_ref, payer_fi, channel, ack_status, ack_reason`

func scanBill(row pgx.Row) (domain.Bill, error) {
	var b domain.Bill
	var due, paid *time.Time
	err := row.Scan(&b.ID, &b.BillerID, &b.BillerName, &b.Tenant, &b.BillerClient, &b.CallbackURL, &b.Status, &due,
		&b.AmountOnDue, &b.AmountAfterDue, &b.Currency, &b.Amount, &paid, &b.PaymentRef, &b.PayerFI, &b.Channel, &b.AckStatus, &b.AckReason)
	b.DueDate, b.PaidAt = deref(due), deref(paid)
	return b, err
}

func billNotFound(id string) error { return apierr.NotFound(domain.ReasonBillNotFound, "no bill "+id) }

// Bill reads a bill.
func (s *Store) Bill(ctx context.Context, id string) (domain.Bill, error) {
	b, err := scanBill(s.pool.QueryRow(ctx, `SELECT `+billColumns+` FROM bill WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return b, billNotFound(id)
	}
	return b, mapErr(err)
}

// LockBill reads and locks a bill.
func (t *tx) LockBill(ctx context.Context, id string) (domain.Bill, bool, error) {
	b, err := scanBill(t.tx.QueryRow(ctx, `SELECT `+billColumns+` FROM bill WHERE id = $1 FOR UPDATE`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return b, false, nil
	}
	return b, err == nil, err
}

// SaveBill inserts or updates a bill.
func (t *tx) SaveBill(ctx context.Context, b domain.Bill) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO bill (`+billColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
		ON CONFLICT (id) DO UPDATE SET biller_name = EXCLUDED.biller_name, callback_url = EXCLUDED.callback_url,
			status = EXCLUDED.status, due_date = EXCLUDED.due_date, amount_on_due = EXCLUDED.amount_on_due,
			amount_after_due = EXCLUDED.amount_after_due, currency = EXCLUDED.currency, amount_paid = EXCLUDED.amount_paid,
			paid_at = EXCLUDED.paid_at, payment_ref = EXCLUDED.payment_ref, payer_fi = EXCLUDED.payer_fi,
			channel = EXCLUDED.channel, ack_status = EXCLUDED.ack_status, ack_reason = EXCLUDED.ack_reason`,
		b.ID, b.BillerID, b.BillerName, b.Tenant, b.BillerClient, b.CallbackURL, b.Status, nullTime(b.DueDate), b.AmountOnDue,
		b.AmountAfterDue, b.Currency, b.Amount, nullTime(b.PaidAt), b.PaymentRef, b.PayerFI, b.Channel, b.AckStatus, b.AckReason)
	return err
}

const rtpColumns = `id, request_id, bill_id, biller_id, tenant, client, callback_url, payer_fi, financial_address, alias_type,
	alias_id, amount, currency, status, reject_reason, payment_ref, created_at, updated_at`

func scanRTP(row pgx.Row) (domain.RTP, error) {
	var r domain.RTP
	err := row.Scan(&r.ID, &r.RequestID, &r.BillID, &r.BillerID, &r.Tenant, &r.Client, &r.CallbackURL, &r.PayerFI,
		&r.FinancialAddress, &r.AliasType, &r.AliasID, &r.Amount, &r.Currency, &r.Status, &r.RejectReason, &r.PaymentRef,
		&r.CreatedAt, &r.UpdatedAt)
	return r, err
}

// RTP reads a request to pay.
func (s *Store) RTP(ctx context.Context, id string) (domain.RTP, error) {
	r, err := scanRTP(s.pool.QueryRow(ctx, `SELECT `+rtpColumns+` FROM rtp WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, apierr.NotFound(domain.ReasonRTPNotFound, "no request to pay "+id)
	}
	return r, mapErr(err)
}

// LockRTP reads and locks a request to pay.
func (t *tx) LockRTP(ctx context.Context, id string) (domain.RTP, error) {
	r, err := scanRTP(t.tx.QueryRow(ctx, `SELECT `+rtpColumns+` FROM rtp WHERE id = $1 FOR UPDATE`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, apierr.NotFound(domain.ReasonRTPNotFound, "no request to pay "+id)
	}
	return r, err
}

// SaveRTP inserts a request to pay, or updates its state.
func (t *tx) SaveRTP(ctx context.Context, r domain.RTP) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO rtp (`+rtpColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
		ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, reject_reason = EXCLUDED.reject_reason,
			payment_ref = EXCLUDED.payment_ref, updated_at = EXCLUDED.updated_at`,
		r.ID, r.RequestID, r.BillID, r.BillerID, r.Tenant, r.Client, r.CallbackURL, r.PayerFI, r.FinancialAddress, r.AliasType,
		r.AliasID, r.Amount, r.Currency, r.Status, r.RejectReason, r.PaymentRef, r.CreatedAt, r.UpdatedAt)
	if isUnique(err, "rtp_pkey") {
		return apierr.AlreadyExists("RTP_EXISTS", "a request to pay with rtpId "+r.ID+" exists")
	}
	return err
}
