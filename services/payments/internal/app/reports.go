package app

import (
	"context"
	"sync"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// reportTimeout bounds the transaction that applies a group of rail reports.
const reportTimeout = 30 * time.Second

// reports applies the rails' callbacks in groups (group commit): while one transaction applies what has
// arrived, the callbacks arriving meanwhile queue, and the next transaction applies them all. Every
// settlement posts to the same two ledger rows (the batch's clearing account and the rail's account), so one
// transaction per callback would queue each behind the previous commit; a group shares the commit.
type reports struct {
	mu      sync.Mutex
	queue   []*report
	running bool
}

// report is one callback's outcome, and what applying it gave.
type report struct {
	o    outcome
	done chan struct{}
	in   domain.Instruction
	err  error
}

// applyReport applies one rail report, in a group with those arriving meanwhile, and returns the payment
// as it is after it. A report that finds no group running starts a goroutine that applies groups until the
// queue is empty: no caller waits for others' reports, and one that gives up leaves the rest applied.
func (s *Service) applyReport(ctx context.Context, o outcome) (domain.Instruction, error) {
	r := &report{o: o, done: make(chan struct{})}
	g := &s.reports
	g.mu.Lock()
	g.queue = append(g.queue, r)
	start := !g.running
	g.running = true
	g.mu.Unlock()
	if start {
		go s.applyQueued(context.WithoutCancel(ctx))
	}
	select {
	case <-r.done:
		return r.in, r.err
	case <-ctx.Done():
		return domain.Instruction{}, ctx.Err()
	}
}

// applyQueued applies groups until none is queued. A group holds one report per payment: a second report
// of the same payment waits for the next group, so both are applied, in order.
func (s *Service) applyQueued(ctx context.Context) {
	g := &s.reports
	for {
		g.mu.Lock()
		var group, rest []*report
		seen := map[string]bool{}
		for _, r := range g.queue {
			if seen[r.o.railID] {
				rest = append(rest, r)
				continue
			}
			seen[r.o.railID] = true
			group = append(group, r)
		}
		g.queue = rest
		if len(group) == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		s.applyGroup(ctx, group)
	}
}

// applyGroup applies a group in one transaction and tells each report what became of its payment; when the
// transaction fails, each report is applied on its own.
func (s *Service) applyGroup(ctx context.Context, group []*report) {
	ctx, cancel := context.WithTimeout(ctx, reportTimeout)
	defer cancel()
	outs := make([]outcome, len(group))
	for i, r := range group {
		outs[i] = r.o
	}
	var ins []domain.Instruction
	err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		ins, err = s.applyOutcomes(ctx, tx, outs)
		return err
	})
	if err != nil && len(group) > 1 && ctx.Err() == nil {
		// One report the ledger refuses must not fail the others: each again, alone.
		for _, r := range group {
			s.applyGroup(ctx, []*report{r})
		}
		return
	}
	byID := map[string]domain.Instruction{}
	for _, in := range ins {
		byID[in.RailID] = in
	}
	for _, r := range group {
		in, found := byID[r.o.railID]
		switch {
		case err != nil:
			r.err = err
		case !found:
			r.err = apierr.NotFound("PAYMENT_NOT_FOUND", "no payment with rail id "+r.o.railID)
		default:
			r.in = in
		}
		close(r.done)
	}
}
