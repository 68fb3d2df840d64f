package railport

import (
	"errors"
	"fmt"
	"testing"

	"github.com/govstackbb/marketplace/services/payments/internal/domain"
	"github.com/govstackbb/marketplace/services/payments/internal/rail"
)

// The rail's answers sorted for the app: a refusal is a FAILED result (the payment's reservation voided);
// what the rail never had, an invalid instruction, an unknown account are errors as they are; everything
// else — time-outs, 5xx, 429, a refused dial, an unreadable answer, an id the rail holds for another
// instruction — is in doubt, so the payment is only ever re-sent under its id or polled.
func TestOutcomesAreRefusalsOrInDoubt(t *testing.T) {
	rej := &rail.RejectedError{Category: "businessRule", Code: "insufficientFunds"}
	for _, c := range []struct {
		name    string
		r       rail.Result
		err     error
		state   domain.RailState
		inDoubt bool
		isErr   error
	}{
		{"settled", rail.Result{State: rail.StateSettled, RailRef: "T1"}, nil, domain.RailSettled, false, nil},
		{"pending", rail.Result{State: rail.StatePending}, nil, domain.RailPending, false, nil},
		{"refused", rail.Result{State: rail.StateFailed}, rej, domain.RailFailed, false, nil},
		{"time-out", rail.Result{}, fmt.Errorf("post: %w", rail.ErrInDoubt), "", true, nil},
		{"unavailable (429, dial)", rail.Result{}, rail.ErrUnavailable, "", true, nil},
		{"unreadable", rail.Result{}, rail.ErrProtocol, "", true, nil},
		{"id reused", rail.Result{}, rail.ErrIDReused, "", true, nil},
		{"never received", rail.Result{}, rail.ErrUnknownInstruction, "", false, rail.ErrUnknownInstruction},
		{"invalid", rail.Result{}, fmt.Errorf("%w: amount", rail.ErrInvalidInstruction), "", false, rail.ErrInvalidInstruction},
		{"not settled", rail.Result{}, rail.ErrNotSettled, "", false, rail.ErrNotSettled},
	} {
		got, err := outcome(c.r, c.err)
		if errors.Is(err, domain.ErrRailInDoubt) != c.inDoubt || got.State != c.state {
			t.Errorf("%s: %+v, %v; want state %q, in doubt %v", c.name, got, err, c.state, c.inDoubt)
		}
		if c.isErr != nil && !errors.Is(err, c.isErr) {
			t.Errorf("%s: %v, want %v", c.name, err, c.isErr)
		}
		if c.name == "refused" && (err != nil || got.Reason == "") {
			t.Errorf("a refusal: %+v, %v; want a FAILED result with the rail's reason, no error", got, err)
		}
	}
	if !final(rail.ErrUnknownAccount) || !final(rej) || final(rail.ErrUnavailable) || final(rail.ErrInDoubt) {
		t.Error("an account check: unknown and refused are final, unavailable and in doubt are asked again")
	}
}
