package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// submitChunk is how many payments one pass reserves and sends.
const submitChunk = 500

// railTimeout bounds one call to a rail; a payment whose Submit times out is IN_DOUBT.
const railTimeout = 30 * time.Second

// outcome is what one call to a rail said about one payment.
type outcome struct {
	railID string
	result domain.RailResult
	err    error // domain.ErrRailInDoubt (wrapped): unknown; another error: the rail refused it
}

// SubmitDue pays up to one chunk of valid instructions of authorised batches: in one transaction each gets a
// pending transfer from its batch's clearing account and becomes SUBMITTING; then each is given to its rail
// (de-bulked per rail, throttled, under its rail id) and what the rail said is recorded. It returns how many
// it sent.
func (s *Service) SubmitDue(ctx context.Context) (int, error) {
	var claimed []domain.Instruction
	err := s.store.InTx(ctx, func(tx Tx) error {
		ins, err := tx.ClaimForSubmission(ctx, submitChunk)
		if err != nil || len(ins) == 0 {
			return err
		}
		claimed, err = s.reservePayments(ctx, tx, ins)
		return err
	})
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	outcomes := s.submitAll(ctx, claimed)
	return len(claimed), s.record(ctx, outcomes)
}

// reservePayments writes each instruction's pending transfer, clearing account → rail account, and marks it
// SUBMITTING, in the claiming transaction.
func (s *Service) reservePayments(ctx context.Context, tx Tx, ins []domain.Instruction) ([]domain.Instruction, error) {
	now := s.now()
	clearing := map[string]string{} // batch id → clearing account id
	railAccounts := map[string]string{}
	var ts []domain.Transfer
	for i, in := range ins {
		cid, ok := clearing[in.BatchID]
		if !ok {
			a, err := tx.EnsureAccount(ctx, domain.Account{Tenant: in.Tenant, Code: "clearing:batch:" + in.BatchID,
				Currency: in.Currency, DebitsMustNotExceedCredits: true})
			if err != nil {
				return nil, err
			}
			cid, clearing[in.BatchID] = a.ID, a.ID
		}
		key := in.Tenant + "\x00" + in.Rail + "\x00" + in.Currency
		rid, ok := railAccounts[key]
		if !ok {
			a, err := tx.EnsureAccount(ctx, domain.Account{Tenant: in.Tenant, Code: domain.RailCode(in.Rail), Currency: in.Currency})
			if err != nil {
				return nil, err
			}
			rid, railAccounts[key] = a.ID, a.ID
		}
		t := domain.Transfer{ID: "pay:" + in.RailID, Tenant: in.Tenant, Kind: domain.TransferPending, DebitAccount: cid,
			CreditAccount: rid, Amount: in.Amount, Currency: in.Currency, Reference: "instruction:" + in.RailID}
		ts = append(ts, t)
		ins[i].Reserve(t.ID, now)
	}
	if _, err := tx.ApplyTransfers(ctx, now, ts...); err != nil {
		return nil, err
	}
	// A payment whose process dies before its outcome is recorded is looked at by the reconciliation then.
	return ins, tx.UpdateInstructions(ctx, ins, now.Add(railTimeout+s.opts.InDoubtRecheck))
}

// submitAll gives every instruction to its rail, rail by rail in parallel, each throttled.
func (s *Service) submitAll(ctx context.Context, ins []domain.Instruction) []outcome {
	byRail := map[string][]domain.Instruction{}
	for _, in := range ins {
		byRail[in.Rail] = append(byRail[in.Rail], in)
	}
	var mu sync.Mutex
	var out []outcome
	var wg sync.WaitGroup
	for name, list := range byRail {
		wg.Go(func() {
			r, ok := s.rails[name]
			s.limiter.forEach(ctx, name, s.opts.RailConcurrency, len(list), func(i int) {
				o := outcome{railID: list[i].RailID, err: domain.ErrRailInDoubt}
				if ok {
					o.result, o.err = s.submitOne(ctx, r, list[i])
				}
				mu.Lock()
				out = append(out, o)
				mu.Unlock()
			})
		})
	}
	wg.Wait()
	return out
}

func (s *Service) submitOne(ctx context.Context, r Rail, in domain.Instruction) (domain.RailResult, error) {
	ctx, cancel := context.WithTimeout(ctx, railTimeout)
	defer cancel()
	res, err := r.Submit(ctx, domain.RailInstruction{ID: in.RailID, Payee: in.Payee.Account, Amount: in.Amount,
		Currency: in.Currency, Reference: in.Narration})
	if err != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)) {
		err = errors.Join(domain.ErrRailInDoubt, err)
	}
	return res, err
}

// record applies outcomes to their instructions, chunk by chunk, each chunk in one transaction: the ledger
// posts what settled and voids what failed, in the same transaction as the instructions' new state.
func (s *Service) record(ctx context.Context, outs []outcome) error {
	for start := 0; start < len(outs); start += submitChunk {
		chunk := outs[start:min(start+submitChunk, len(outs))]
		if err := s.store.InTx(ctx, func(tx Tx) error { _, err := s.applyOutcomes(ctx, tx, chunk); return err }); err != nil {
			return err
		}
	}
	return nil
}

// applyOutcomes locks the instructions, lets each decide what the outcome means (domain.Instruction.Apply),
// and writes the ledger's posts and voids and the events; it returns the instructions as they now are. An
// outcome that changes nothing (a duplicate or late report) writes nothing.
func (s *Service) applyOutcomes(ctx context.Context, tx Tx, outs []outcome) ([]domain.Instruction, error) {
	byID := map[string]outcome{}
	ids := make([]string, 0, len(outs))
	for _, o := range outs {
		byID[o.railID] = o
		ids = append(ids, o.railID)
	}
	ins, err := tx.LockInstructions(ctx, ids)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var ts []domain.Transfer
	var changed []domain.Instruction
	for i := range ins {
		in := &ins[i]
		o := byID[in.RailID]
		before, beforeRef := in.Status, in.RailRef
		switch {
		case errors.Is(o.err, domain.ErrRailInDoubt):
			in.Doubt(o.err.Error())
		case o.err != nil:
			o.result = domain.RailResult{State: domain.RailFailed, Reason: o.err.Error()}
			fallthrough
		default:
			action, err := in.Apply(o.result, now)
			if err != nil {
				s.log.Warn("payments: rail outcome not applied", "instruction", in.ID, "error", err.Error())
				continue
			}
			switch action {
			case domain.LedgerPost:
				ts = append(ts, domain.Transfer{ID: "settle:" + in.RailID, Kind: domain.TransferPost, PendingID: in.TransferID,
					Reference: "instruction:" + in.RailID})
			case domain.LedgerVoid:
				ts = append(ts, domain.Transfer{ID: "fail:" + in.RailID, Kind: domain.TransferVoid, PendingID: in.TransferID,
					Reference: "instruction:" + in.RailID})
			}
		}
		if in.Status != before || in.RailRef != beforeRef {
			changed = append(changed, *in)
			for _, ev := range paymentEvents(*in, before, now) {
				tx.Publish(ev)
			}
		}
	}
	if len(ts) > 0 {
		if _, err := tx.ApplyTransfers(ctx, now, ts...); err != nil {
			return nil, err
		}
	}
	if len(changed) == 0 {
		return ins, nil
	}
	return ins, tx.UpdateInstructions(ctx, changed, now.Add(s.opts.InDoubtRecheck))
}

// paymentEvents are the events of an instruction's change of state: submitted when the rail took it (also
// when it settled or failed it at once), then settled, failed or reversed.
func paymentEvents(in domain.Instruction, before domain.InstructionStatus, now time.Time) []domain.PaymentEvent {
	if in.Status == before {
		return nil
	}
	ev := domain.PaymentEvent{Tenant: in.Tenant, PaymentID: in.ID, BatchID: in.BatchID, Amount: in.Amount,
		Currency: in.Currency, Payee: in.Payee, Rail: in.Rail, RailRef: in.RailRef, Reason: in.Reason,
		References: in.References, At: now}
	var out []domain.PaymentEvent
	if before == domain.InstructionSubmitting || before == domain.InstructionInDoubt {
		if in.Status == domain.InstructionSubmitted || in.Status == domain.InstructionCompleted {
			e := ev
			e.Kind = domain.PaymentSubmitted
			out = append(out, e)
		}
	}
	kind := map[domain.InstructionStatus]domain.PaymentEventKind{domain.InstructionCompleted: domain.PaymentSettled,
		domain.InstructionFailed: domain.PaymentFailed, domain.InstructionReversed: domain.PaymentReversed}[in.Status]
	if kind != "" {
		ev.Kind = kind
		out = append(out, ev)
	}
	return out
}
