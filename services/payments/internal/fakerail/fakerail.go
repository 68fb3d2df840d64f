// Package fakerail is an in-memory payment rail: the rail of the component tests (with faults injected on
// demand) and the "sandbox" rail of a development stack until the rail simulator is merged. It keeps one
// payment per instruction id, as a real rail must, and counts every Submit so tests can see re-sends.
//
// Sandbox rules (what a development stack's payees do): a financial address ending in 000 is refused at
// validation, one ending in 999 is failed at payment; every other payment settles at once.
package fakerail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// Fault is what the rail does with one Submit.
type Fault int

const (
	Normal      Fault = iota // the sandbox rules
	Pending                  // accept it; it settles when Settle is called
	LoseAnswer               // take the payment (it settles) but answer in doubt, as a time-out after sending does
	LoseRequest              // never receive it, and answer in doubt, as a time-out before sending does
	Refuse                   // refuse it (FAILED)
)

// Rail is the fake rail.
type Rail struct {
	name string
	mu   sync.Mutex
	pay  map[string]*payment
	// FaultFor, when set, decides each first Submit of an instruction id; later ones answer what the rail has.
	FaultFor func(domain.RailInstruction) Fault
	submits  int
	invalid  map[string]bool
}

type payment struct {
	in     domain.RailInstruction
	result domain.RailResult
}

// New returns an empty rail called name.
func New(name string) *Rail {
	return &Rail{name: name, pay: map[string]*payment{}, invalid: map[string]bool{}}
}

// Name is the rail's name.
func (r *Rail) Name() string { return r.name }

// RefuseAccount makes ValidateAccount refuse address (besides the sandbox rule).
func (r *Rail) RefuseAccount(address string) {
	r.mu.Lock()
	r.invalid[address] = true
	r.mu.Unlock()
}

// ValidateAccount refuses addresses ending in 000 and those given to RefuseAccount.
func (r *Rail) ValidateAccount(_ context.Context, a domain.RailAccount) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if strings.HasSuffix(a.FinancialAddress, "000") || r.invalid[a.FinancialAddress] {
		return "", errors.New("no such account")
	}
	return "Holder of " + a.FinancialAddress[:min(3, len(a.FinancialAddress))] + "…", nil
}

// Submit takes a payment once per id; a second Submit of the same id answers what the rail has.
func (r *Rail) Submit(_ context.Context, in domain.RailInstruction) (domain.RailResult, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.submits++
	if p, ok := r.pay[in.ID]; ok {
		return p.result, nil
	}
	fault := Normal
	if r.FaultFor != nil {
		fault = r.FaultFor(in)
	}
	now := time.Now().UTC()
	res := domain.RailResult{State: domain.RailSettled, RailRef: "fake-" + in.ID, At: now}
	switch {
	case fault == LoseRequest:
		return domain.RailResult{}, fmt.Errorf("fakerail: time-out before sending: %w", domain.ErrRailInDoubt)
	case fault == Refuse || fault == Normal && strings.HasSuffix(in.Payee.FinancialAddress, "999"):
		res = domain.RailResult{State: domain.RailFailed, RailRef: res.RailRef, Reason: "payee account closed", At: now}
	case fault == Pending:
		res.State = domain.RailPending
	}
	r.pay[in.ID] = &payment{in: in, result: res}
	if fault == LoseAnswer {
		return domain.RailResult{}, fmt.Errorf("fakerail: time-out after sending: %w", domain.ErrRailInDoubt)
	}
	return res, nil
}

// Status answers what the rail has of a payment; an id it never received is an error.
func (r *Rail) Status(_ context.Context, id string) (domain.RailResult, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p, ok := r.pay[id]; ok {
		return p.result, nil
	}
	return domain.RailResult{}, fmt.Errorf("fakerail: no payment %s", id)
}

// Reverse gives a settled payment back.
func (r *Rail) Reverse(_ context.Context, id, reason string) (domain.RailResult, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.pay[id]
	if !ok || p.result.State != domain.RailSettled {
		return domain.RailResult{}, fmt.Errorf("fakerail: payment %s is not settled", id)
	}
	p.result = domain.RailResult{State: domain.RailFailed, RailRef: p.result.RailRef, Reason: "reversed: " + reason, At: time.Now().UTC()}
	return p.result, nil
}

// Settle settles a pending payment and returns the callback body the rail would post.
func (r *Rail) Settle(id string, state domain.RailState) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.pay[id]
	if !ok {
		return nil
	}
	p.result.State, p.result.At = state, time.Now().UTC()
	if state == domain.RailFailed {
		p.result.Reason = "rejected by the payee's FSP"
	}
	return callbackBody(id, p.result)
}

// PendingIDs lists the payments waiting to settle.
func (r *Rail) PendingIDs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for id, p := range r.pay {
		if p.result.State == domain.RailPending {
			ids = append(ids, id)
		}
	}
	return ids
}

// Settled is what the rail paid out: how many payments and their total per currency.
func (r *Rail) Settled() (count int, totals map[string]int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	totals = map[string]int64{}
	for _, p := range r.pay {
		if p.result.State == domain.RailSettled {
			count++
			totals[p.in.Currency] += p.in.Amount
		}
	}
	return count, totals
}

// Submits is how many times Submit was called.
func (r *Rail) Submits() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.submits
}

type callback struct {
	ID, State, Ref, Reason string
}

func callbackBody(id string, res domain.RailResult) []byte {
	b, _ := json.Marshal(callback{ID: id, State: string(res.State), Ref: res.RailRef, Reason: res.Reason})
	return b
}

// ParseCallback reads a callback body the rail posts.
func (r *Rail) ParseCallback(body []byte) (string, domain.RailResult, error) {
	var c callback
	if err := json.Unmarshal(body, &c); err != nil || c.ID == "" {
		return "", domain.RailResult{}, errors.New("not a fakerail callback")
	}
	return c.ID, domain.RailResult{State: domain.RailState(c.State), RailRef: c.Ref, Reason: c.Reason, At: time.Now().UTC()}, nil
}
