package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// reconcileChunk is how many payments one reconciliation pass asks about.
const reconcileChunk = 200

// ReconcileDue asks the rails about payments whose outcome is overdue: IN_DOUBT ones, submitted ones whose
// callback has not come, and SUBMITTING ones whose process died. The rail's status settles or fails them; a
// payment the rail cannot tell about is sent again under the same id (the rail keeps one payment per id), so
// a payment in doubt is never paid twice. It returns how many payments it looked at.
func (s *Service) ReconcileDue(ctx context.Context) (int, error) {
	now := s.now()
	ins, err := s.store.ClaimInFlight(ctx, now, now.Add(s.opts.InDoubtRecheck), reconcileChunk)
	if err != nil || len(ins) == 0 {
		return 0, err
	}
	byRail := map[string][]domain.Instruction{}
	for _, in := range ins {
		byRail[in.Rail] = append(byRail[in.Rail], in)
	}
	var outs []outcome
	for name, list := range byRail {
		r, ok := s.rails[name]
		if !ok {
			continue // a rail no longer configured: its payments wait for it
		}
		results := make([]outcome, len(list))
		s.limiter.forEach(ctx, name, s.opts.RailConcurrency, len(list), func(i int) {
			results[i] = s.ask(ctx, r, list[i])
		})
		outs = append(outs, results...)
	}
	return len(ins), s.record(ctx, outs)
}

// ask learns a payment's outcome: its status at the rail, or, for one the rail may never have received,
// the answer to sending it again under its id.
func (s *Service) ask(ctx context.Context, r Rail, in domain.Instruction) outcome {
	ctx, cancel := context.WithTimeout(ctx, railTimeout)
	defer cancel()
	res, err := r.Status(ctx, in.RailID)
	if err == nil {
		return outcome{railID: in.RailID, result: res}
	}
	if in.Status == domain.InstructionSubmitted {
		return outcome{railID: in.RailID, result: domain.RailResult{State: domain.RailPending}}
	}
	res, err = s.submitOne(ctx, r, in)
	return outcome{railID: in.RailID, result: res, err: err}
}

// RailCallback applies a rail's asynchronous callback. A duplicate, late or out-of-order callback changes
// nothing; the reconciliation makes up for a lost one. It returns the payment as it is after the callback.
// Callbacks arriving together are applied together (reports.go).
func (s *Service) RailCallback(ctx context.Context, rail string, body []byte) (domain.Instruction, error) {
	r, ok := s.rails[rail]
	if !ok {
		return domain.Instruction{}, apierr.NotFound("UNKNOWN_RAIL", "no rail named "+rail)
	}
	id, res, err := r.ParseCallback(body)
	if err != nil {
		return domain.Instruction{}, apierr.Invalid("INVALID_CALLBACK", "the callback body cannot be read: "+err.Error())
	}
	return s.applyReport(ctx, outcome{railID: id, result: res})
}
