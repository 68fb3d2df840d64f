package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// validationLease is how long a worker holds a batch or job it validates before another may take it over.
const validationLease = 2 * time.Minute

// ValidateNextBatch validates the accounts of one received batch, if there is one: each payee named by
// functional id is looked up in the identity-account mapper (unknown: INVALID), each account is checked with
// its rail (throttled; refused: INVALID, rail unsure: left for the next pass). When no instruction is left
// unchecked the batch is VALIDATED: batch.validated, and callbacks of the validation and the batch status.
// It reports whether it found a batch.
func (s *Service) ValidateNextBatch(ctx context.Context) (bool, error) {
	b, found, err := s.store.ClaimBatchToValidate(ctx, s.now(), validationLease)
	if err != nil || !found {
		return false, err
	}
	ins, err := s.store.Instructions(ctx, b.ID, domain.InstructionReceived, 0, s.opts.MaxBatch)
	if err != nil {
		return true, err
	}
	if err := s.resolvePayees(ctx, b.Tenant, ins); err != nil {
		return true, err
	}
	checked := s.checkAccounts(ctx, ins)
	for start := 0; start < len(checked); start += 1000 {
		chunk := checked[start:min(start+1000, len(checked))]
		if err := s.store.InTx(ctx, func(tx Tx) error { return tx.SetValidated(ctx, b.ID, chunk) }); err != nil {
			return true, err
		}
	}
	if len(checked) < len(ins) {
		return true, nil // a rail could not answer for some: the next pass (after the lease) retries them
	}
	return true, s.finishValidation(ctx, b)
}

// resolvePayees fills in the account of payees named by functional id, and refuses unknown ones.
func (s *Service) resolvePayees(ctx context.Context, tenant string, ins []domain.Instruction) error {
	var ids []string
	for _, in := range ins {
		if in.Payee.Identity != "" && in.Payee.Account.FinancialAddress == "" {
			ids = append(ids, in.Payee.Identity)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	mapped, err := s.store.Beneficiaries(ctx, tenant, ids)
	if err != nil {
		return err
	}
	for i, in := range ins {
		if in.Payee.Identity == "" || in.Payee.Account.FinancialAddress != "" {
			continue
		}
		m, ok := mapped[in.Payee.Identity]
		if !ok {
			ins[i].Status, ins[i].Reason = domain.InstructionInvalid, "payee not registered in the identity-account mapper"
			continue
		}
		modality := in.Payee.Account.Modality
		ins[i].Payee.Account = m.Account
		if modality != "" && modality != m.Account.Modality {
			ins[i].Status, ins[i].Reason = domain.InstructionInvalid,
				fmt.Sprintf("payment mode %s differs from the payee's registered modality %s", modality, m.Account.Modality)
		}
	}
	return nil
}

// checkAccounts asks each instruction's rail about its account, rail by rail, throttled. It returns the
// instructions with an answer (VALID or INVALID); those a rail could not answer for are left out.
func (s *Service) checkAccounts(ctx context.Context, ins []domain.Instruction) []domain.Instruction {
	byRail := map[string][]int{}
	for i, in := range ins {
		if in.Status == domain.InstructionInvalid {
			continue
		}
		if in.Payee.Account.Modality == "" {
			ins[i].Payee.Account.Modality = domain.ModalityMobileMoney
		}
		r, err := s.railFor(ins[i].Payee.Account.Modality)
		if err != nil {
			ins[i].Status, ins[i].Reason = domain.InstructionInvalid, err.Error()
			continue
		}
		ins[i].Rail = r.Name()
		byRail[r.Name()] = append(byRail[r.Name()], i)
	}
	answered := make([]bool, len(ins))
	for name, idx := range byRail {
		r := s.rails[name]
		s.limiter.forEach(ctx, name, s.opts.RailConcurrency, len(idx), func(k int) {
			i := idx[k]
			_, err := r.ValidateAccount(ctx, ins[i].Payee.Account)
			switch {
			case err == nil:
				ins[i].Status = domain.InstructionValid
			case errors.Is(err, domain.ErrRailInDoubt) || ctx.Err() != nil:
				return
			default:
				ins[i].Status, ins[i].Reason = domain.InstructionInvalid, "account refused by "+name+": "+err.Error()
			}
			answered[i] = true
		})
	}
	var out []domain.Instruction
	for i, in := range ins {
		if in.Status == domain.InstructionInvalid || answered[i] {
			out = append(out, in)
		}
	}
	return out
}

// finishValidation marks a batch VALIDATED once none of its instructions is unchecked.
func (s *Service) finishValidation(ctx context.Context, b domain.Batch) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		b, err := tx.LockBatch(ctx, b.Tenant, b.ID)
		if err != nil || b.Status != domain.BatchReceived || b.Stats.Received > 0 {
			return err
		}
		now := s.now()
		b.Status, b.ValidatedAt = domain.BatchValidated, now
		if err := tx.UpdateBatch(ctx, b); err != nil {
			return err
		}
		tx.Publish(domain.BatchEvent{Kind: domain.BatchEventValidated, Batch: b, At: now})
		if err := s.callback(ctx, tx, b.Tenant, b.CallbackURL, domain.CallbackValidation, b.ID); err != nil {
			return err
		}
		return s.callback(ctx, tx, b.Tenant, b.CallbackURL, domain.CallbackBatch, b.ID)
	})
}

// ValidateAccounts stores a Bulk_ValidateAccount job: the addresses are checked with their rails in the
// background and the failed ones pushed to X-Callback-URL. Its id is the caller's batchId.
func (s *Service) ValidateAccounts(ctx context.Context, a Actor, id string, items []domain.ValidationItem) (domain.Validation, error) {
	if a.CallbackURL != "" {
		if err := domain.CheckCallbackURL(a.CallbackURL); err != nil {
			return domain.Validation{}, err
		}
	}
	if id == "" || len(items) == 0 {
		return domain.Validation{}, apierr.Invalid("INVALID_VALIDATION", "batchId and at least one credit instruction are required",
			apierr.FieldViolation{Field: "creditInstructions", Description: "at least one, with instructionID and financialAddress"})
	}
	for i, it := range items {
		if it.Status == string(domain.InstructionInvalid) {
			continue // refused already (an unknown payee): kept as it is
		}
		if it.InstructionID == "" || it.Account.FinancialAddress == "" {
			return domain.Validation{}, apierr.Invalid("INVALID_VALIDATION", "every credit instruction needs instructionID and financialAddress",
				apierr.FieldViolation{Field: fmt.Sprintf("creditInstructions[%d]", i), Description: "instructionID and financialAddress are required"})
		}
		items[i].Status = "PENDING"
		if items[i].Account.Modality == "" {
			items[i].Account.Modality = domain.ModalityMobileMoney
		}
	}
	v := domain.Validation{ID: id, Tenant: a.Tenant, Client: a.Client, CorrelationID: a.CorrelationID,
		CallbackURL: a.CallbackURL, Items: items, CreatedAt: s.now()}
	err := s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.SaveValidation(ctx, v); err != nil {
			return err
		}
		return tx.Audit(ctx, s.audit(a, "validation.request", "validation:"+id, map[string]any{"accounts": len(items)}))
	})
	return v, err
}

// ValidateNextJob checks the accounts of one pending validation job; it reports whether it found one.
func (s *Service) ValidateNextJob(ctx context.Context) (bool, error) {
	v, found, err := s.store.ClaimValidation(ctx, s.now(), validationLease)
	if err != nil || !found {
		return false, err
	}
	ins := make([]domain.Instruction, len(v.Items))
	for i, it := range v.Items {
		ins[i] = domain.Instruction{ID: it.InstructionID, Payee: domain.Payee{Account: it.Account}, Status: domain.InstructionReceived}
		if it.Status != "PENDING" {
			ins[i].Status, ins[i].Reason = domain.InstructionStatus(it.Status), it.Reason
		}
	}
	checked := s.checkAccounts(ctx, ins)
	done := map[string]domain.Instruction{}
	for _, in := range checked {
		done[in.ID] = in
	}
	for i, it := range v.Items {
		if in, ok := done[it.InstructionID]; ok {
			v.Items[i].Status, v.Items[i].Reason = string(in.Status), in.Reason
		}
	}
	v.Done = len(checked) == len(ins)
	return true, s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.SaveValidation(ctx, v); err != nil || !v.Done {
			return err
		}
		return s.callback(ctx, tx, v.Tenant, v.CallbackURL, domain.CallbackValidation, v.ID)
	})
}

// Validation reads a validation's outcome: a Bulk_ValidateAccount job, or a batch's own validation.
func (s *Service) Validation(ctx context.Context, a Actor, id string) (domain.Validation, error) {
	v, found, err := s.store.Validation(ctx, a.Tenant, id)
	if err != nil || found {
		return v, err
	}
	b, err := s.Batch(ctx, a, id)
	if err != nil {
		return v, err
	}
	invalid, err := s.store.Instructions(ctx, b.ID, domain.InstructionInvalid, 0, s.opts.MaxBatch)
	v = domain.Validation{ID: b.ID, Tenant: b.Tenant, CorrelationID: b.CorrelationID, Done: b.Stats.Received == 0}
	for _, in := range invalid {
		v.Items = append(v.Items, domain.ValidationItem{InstructionID: in.ID, Status: string(in.Status), Reason: in.Reason})
	}
	return v, err
}

// ValidatePayees is a validation of payees named by functional id (1.0's prepayment validation): each is
// looked up in the identity-account mapper (unknown: refused at once) and its account checked with its rail
// in the background, as ValidateAccounts does. payees maps instruction ids to functional ids.
func (s *Service) ValidatePayees(ctx context.Context, a Actor, id string, instructionIDs, payees []string) (domain.Validation, error) {
	found, err := s.store.Beneficiaries(ctx, a.Tenant, payees)
	if err != nil {
		return domain.Validation{}, err
	}
	items := make([]domain.ValidationItem, len(payees))
	for i, p := range payees {
		items[i] = domain.ValidationItem{InstructionID: instructionIDs[i]}
		if b, ok := found[p]; ok {
			items[i].Account = b.Account
		} else {
			items[i].Status, items[i].Reason = string(domain.InstructionInvalid), "payee not registered in the identity-account mapper"
		}
	}
	return s.ValidateAccounts(ctx, a, id, items)
}
