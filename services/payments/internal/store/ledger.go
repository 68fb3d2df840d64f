package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// The ledger's SQL (ADR 0014). Counters change only by conditional UPDATE; transfer rows are only inserted.

const accountColumns = `id, tenant, code, currency, debits_must_not_exceed_credits, credits_must_not_exceed_debits,
	debits_pending, debits_posted, credits_pending, credits_posted`

func scanAccount(row pgx.Row) (domain.Account, error) {
	var a domain.Account
	err := row.Scan(&a.ID, &a.Tenant, &a.Code, &a.Currency, &a.DebitsMustNotExceedCredits, &a.CreditsMustNotExceedDebits,
		&a.Balance.DebitsPending, &a.Balance.DebitsPosted, &a.Balance.CreditsPending, &a.Balance.CreditsPosted)
	return a, err
}

// ensureAccount returns the account of a's tenant, code and currency, creating it with a's flags when it
// does not exist yet (a concurrent creation of the same account is fine: both get the one row).
func ensureAccount(ctx context.Context, q querier, a domain.Account) (domain.Account, error) {
	if a.ID == "" {
		a.ID = uuid.Must(uuid.NewV7()).String()
	}
	if _, err := q.Exec(ctx, `INSERT INTO ledger_account (id, tenant, code, currency, debits_must_not_exceed_credits,
		credits_must_not_exceed_debits) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant, code, currency) DO NOTHING`,
		a.ID, a.Tenant, a.Code, a.Currency, a.DebitsMustNotExceedCredits, a.CreditsMustNotExceedDebits); err != nil {
		return domain.Account{}, err
	}
	return accountByCode(ctx, q, a.Tenant, a.Code, a.Currency)
}

func accountByCode(ctx context.Context, q querier, tenant, code, currency string) (domain.Account, error) {
	a, err := scanAccount(q.QueryRow(ctx, `SELECT `+accountColumns+` FROM ledger_account
		WHERE tenant = $1 AND code = $2 AND currency = $3`, tenant, code, currency))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, apierr.NotFound(domain.ReasonAccountNotFound,
			fmt.Sprintf("no %s account %q for tenant %q", currency, code, tenant))
	}
	return a, err
}

func accountsByID(ctx context.Context, q querier, ids []string) (map[string]domain.Account, error) {
	rows, err := q.Query(ctx, `SELECT `+accountColumns+` FROM ledger_account WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	accounts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Account, error) { return scanAccount(r) })
	out := make(map[string]domain.Account, len(accounts))
	for _, a := range accounts {
		out[a.ID] = a
	}
	return out, err
}

const transferColumns = `id, tenant, kind, debit_account, credit_account, amount, currency, coalesce(pending_id, ''),
	expires_at, reference, created_at`

func scanTransfer(row pgx.Row) (domain.Transfer, error) {
	var t domain.Transfer
	var expires *time.Time
	err := row.Scan(&t.ID, &t.Tenant, &t.Kind, &t.DebitAccount, &t.CreditAccount, &t.Amount, &t.Currency, &t.PendingID,
		&expires, &t.Reference, &t.CreatedAt)
	if expires != nil {
		t.ExpiresAt = *expires
	}
	return t, err
}

func transfersByID(ctx context.Context, q querier, ids []string) (map[string]domain.Transfer, error) {
	rows, err := q.Query(ctx, `SELECT `+transferColumns+` FROM ledger_transfer WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	ts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Transfer, error) { return scanTransfer(r) })
	out := make(map[string]domain.Transfer, len(ts))
	for _, t := range ts {
		out[t.ID] = t
	}
	return out, err
}

// applyTransfers writes transfers in tx as one unit: resolving transfers take their pending transfer's
// accounts and amount, every account's counters change by one conditional UPDATE, and the rows are
// inserted. It returns the transfers as written. Nothing is written when any of them is refused.
func applyTransfers(ctx context.Context, tx pgx.Tx, now time.Time, ts []domain.Transfer) ([]domain.Transfer, error) {
	if len(ts) == 0 {
		return nil, nil
	}
	ts, err := resolvePending(ctx, tx, now, ts)
	if err != nil {
		return nil, err
	}
	deltas := domain.Deltas(ts)
	ids := make([]string, len(deltas))
	for i, d := range deltas {
		ids[i] = d.Account
	}
	// Lock the accounts in id order first: two transfers in opposite directions then wait for each other
	// instead of deadlocking. Nothing is read here; the UPDATE below decides. NO KEY UPDATE is the lock the
	// UPDATE takes anyway, and it lets the transfer rows' foreign keys (KEY SHARE) through.
	if _, err := tx.Exec(ctx, `SELECT 1 FROM ledger_account WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE`, ids); err != nil {
		return nil, err
	}
	// The rows go in before the counters change, so a second resolution of a pending transfer is refused
	// by the unique index (PENDING_ALREADY_RESOLVED), not by a counter's CHECK.
	if err := insertTransfers(ctx, tx, now, ts); err != nil {
		return nil, err
	}
	if err := updateCounters(ctx, tx, deltas); err != nil {
		return nil, err
	}
	for i := range ts {
		ts[i].CreatedAt = now
	}
	return ts, nil
}

// resolvePending validates ts and fills in each post, void and expire from the pending transfer it names.
func resolvePending(ctx context.Context, tx pgx.Tx, now time.Time, ts []domain.Transfer) ([]domain.Transfer, error) {
	out := make([]domain.Transfer, len(ts))
	var pendingIDs []string
	for i, t := range ts {
		if err := t.Validate(); err != nil {
			return nil, err
		}
		out[i] = t
		if t.Kind.Resolves() {
			pendingIDs = append(pendingIDs, t.PendingID)
		}
	}
	if len(pendingIDs) == 0 {
		return out, nil
	}
	pending, err := transfersByID(ctx, tx, pendingIDs)
	if err != nil {
		return nil, err
	}
	for i, t := range out {
		if !t.Kind.Resolves() {
			continue
		}
		p, ok := pending[t.PendingID]
		if !ok {
			return nil, apierr.NotFound("TRANSFER_NOT_FOUND", "no pending transfer "+t.PendingID)
		}
		if out[i], err = t.Resolve(p, now); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// updateCounters applies every account's delta in one statement. An account whose flag the delta would
// break is not matched by the WHERE, so fewer rows come back than were asked for: then nothing is kept
// (the caller's transaction rolls back) and the first refused account says why.
func updateCounters(ctx context.Context, tx pgx.Tx, deltas []domain.Delta) error {
	n := len(deltas)
	ids, tenants, currencies := make([]string, n), make([]string, n), make([]string, n)
	dp, dpo, cp, cpo := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	for i, d := range deltas {
		ids[i], tenants[i], currencies[i] = d.Account, d.Tenant, d.Currency
		dp[i], dpo[i], cp[i], cpo[i] = d.DebitsPending, d.DebitsPosted, d.CreditsPending, d.CreditsPosted
	}
	rows, err := tx.Query(ctx, `
		UPDATE ledger_account a SET
			debits_pending = a.debits_pending + d.dp, debits_posted = a.debits_posted + d.dpo,
			credits_pending = a.credits_pending + d.cp, credits_posted = a.credits_posted + d.cpo
		FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
			AS d(id, tenant, currency, dp, dpo, cp, cpo)
		WHERE a.id = d.id AND a.tenant = d.tenant AND a.currency = d.currency
		  AND (NOT a.debits_must_not_exceed_credits
		       OR a.debits_pending + d.dp + a.debits_posted + d.dpo <= a.credits_posted + d.cpo)
		  AND (NOT a.credits_must_not_exceed_debits
		       OR a.credits_pending + d.cp + a.credits_posted + d.cpo <= a.debits_posted + d.dpo)
		RETURNING a.id`,
		ids, tenants, currencies, dp, dpo, cp, cpo)
	if err != nil {
		return err
	}
	updated, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(updated) == n {
		return err
	}
	return whyRefused(ctx, tx, deltas, updated)
}

// whyRefused finds the first delta the UPDATE did not apply and says why, in the ledger's words. The
// accounts it did update are skipped: their counters already include their delta.
func whyRefused(ctx context.Context, tx pgx.Tx, deltas []domain.Delta, updated []string) error {
	done := map[string]bool{}
	for _, id := range updated {
		done[id] = true
	}
	ids := make([]string, len(deltas))
	for i, d := range deltas {
		ids[i] = d.Account
	}
	accounts, err := accountsByID(ctx, tx, ids)
	if err != nil {
		return err
	}
	seen := map[string]string{}
	for _, d := range deltas {
		a, ok := accounts[d.Account]
		switch {
		case !ok:
			return apierr.NotFound(domain.ReasonAccountNotFound, "no ledger account "+d.Account)
		case a.Tenant != d.Tenant || a.Currency != d.Currency || (seen[d.Account] != "" && seen[d.Account] != d.Currency):
			return apierr.Invalid(domain.ReasonCurrencyMismatch, fmt.Sprintf(
				"account %s is a %s account of tenant %q; the transfer is in %s for tenant %q", a.Code, a.Currency, a.Tenant, d.Currency, d.Tenant))
		}
		seen[d.Account] = d.Currency
		if done[d.Account] {
			continue
		}
		b := a.Balance
		if a.DebitsMustNotExceedCredits && b.DebitsPending+d.DebitsPending+b.DebitsPosted+d.DebitsPosted > b.CreditsPosted+d.CreditsPosted {
			return apierr.FailedPrecondition(domain.ReasonInsufficientFunds, fmt.Sprintf(
				"account %s has %s %s available; the transfer needs more", a.Code,
				domain.FormatAmount(b.Available(), a.Currency), a.Currency))
		}
		if a.CreditsMustNotExceedDebits && b.CreditsPending+d.CreditsPending+b.CreditsPosted+d.CreditsPosted > b.DebitsPosted+d.DebitsPosted {
			return apierr.FailedPrecondition(domain.ReasonInsufficientFunds, fmt.Sprintf(
				"account %s may not be credited beyond its debits", a.Code))
		}
	}
	return apierr.Aborted("LEDGER_CONFLICT", "the ledger changed while the transfer was applied; retry")
}

// insertTransfers inserts the rows; a duplicate id or a second resolution of one pending transfer is
// refused by the database and reported in the ledger's words.
func insertTransfers(ctx context.Context, tx pgx.Tx, now time.Time, ts []domain.Transfer) error {
	n := len(ts)
	ids, tenants, kinds, debits, credits := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	amounts, currencies, pendings, refs := make([]int64, n), make([]string, n), make([]*string, n), make([]string, n)
	expires := make([]*time.Time, n)
	for i, t := range ts {
		ids[i], tenants[i], kinds[i], debits[i], credits[i] = t.ID, t.Tenant, string(t.Kind), t.DebitAccount, t.CreditAccount
		amounts[i], currencies[i], refs[i] = t.Amount, t.Currency, t.Reference
		if t.PendingID != "" {
			pendings[i] = &ts[i].PendingID
		}
		if !t.ExpiresAt.IsZero() {
			expires[i] = &ts[i].ExpiresAt
		}
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO ledger_transfer (id, tenant, kind, debit_account, credit_account, amount, currency, pending_id,
			expires_at, reference, created_at)
		SELECT id, tenant, kind, debit, credit, amount, currency, pending, expires, ref, $11
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[],
			$9::timestamptz[], $10::text[]) AS t(id, tenant, kind, debit, credit, amount, currency, pending, expires, ref)`,
		ids, tenants, kinds, debits, credits, amounts, currencies, pendings, expires, refs, now)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		switch pe.ConstraintName {
		case "ledger_transfer_resolves_once":
			return apierr.Wrap(apierr.KindAlreadyExists, domain.ReasonPendingAlreadyResolved,
				"the pending transfer was already posted, voided or expired", err)
		case "ledger_transfer_pkey":
			return apierr.Wrap(apierr.KindAlreadyExists, domain.ReasonTransferExists, "a transfer with this id exists", err)
		}
	}
	return err
}

// pendingDue lists pending transfers whose expiry is before now and that nothing resolved yet.
func pendingDue(ctx context.Context, q querier, now time.Time, limit int) ([]domain.Transfer, error) {
	rows, err := q.Query(ctx, `SELECT `+transferColumns+` FROM ledger_transfer p
		WHERE p.expires_at IS NOT NULL AND p.expires_at <= $1
		  AND NOT EXISTS (SELECT 1 FROM ledger_transfer r WHERE r.pending_id = p.id)
		ORDER BY p.expires_at LIMIT $2`, now, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Transfer, error) { return scanTransfer(r) })
}

// tryTransfers applies transfers inside a savepoint, so a refusal leaves the transaction usable.
func tryTransfers(ctx context.Context, tx pgx.Tx, now time.Time, ts []domain.Transfer) ([]domain.Transfer, error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return nil, err
	}
	out, err := applyTransfers(ctx, sp, now, ts)
	if err != nil {
		_ = sp.Rollback(ctx)
		return nil, mapErr(err)
	}
	return out, sp.Commit(ctx)
}
