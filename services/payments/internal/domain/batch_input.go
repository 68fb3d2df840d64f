package domain

import (
	"fmt"
	"sort"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// InstructionInput is one credit instruction as the caller sent it.
type InstructionInput struct {
	ID, PaymentMode, Amount, Currency, Narration string
	Credit, Debit, References                    map[string]string
}

// MaxInstructionIDLength is GovStack's bound on an instruction id (requestId).
const MaxInstructionIDLength = 16

// BatchInput is a checked batch: its instructions in the order sent, one currency and one payer.
type BatchInput struct {
	Instructions []Instruction
	Currency     string
	Payer        string // the debit parties' payerIdentifier; "" when none was given (named at authorisation)
}

// NewBatchInput checks a handed-over batch: every instruction has an id (unique in the batch), a payee and
// an amount valid in its currency; all are in one currency and from one payer. Every problem is reported at
// once, by item; duplicate ids are listed together (DUPLICATE_INSTRUCTIONS) so the caller can remove them.
func NewBatchInput(items []InstructionInput, maxItems int) (BatchInput, error) {
	if len(items) == 0 {
		return BatchInput{}, apierr.Invalid("EMPTY_BATCH", "the batch has no credit instructions",
			apierr.FieldViolation{Field: "(body)", Description: "send a list of at least one credit instruction"})
	}
	if maxItems > 0 && len(items) > maxItems {
		return BatchInput{}, apierr.Invalid("BATCH_TOO_LARGE", fmt.Sprintf("the batch has %d instructions; at most %d are accepted in one batch", len(items), maxItems))
	}
	if dups := duplicateIDs(items); len(dups) > 0 {
		vs := make([]apierr.FieldViolation, 0, len(dups))
		for _, d := range dups {
			vs = append(vs, apierr.FieldViolation{Field: "requestId", Description: fmt.Sprintf("%q appears more than once", d)})
		}
		return BatchInput{}, apierr.Invalid(ReasonDuplicateInstruction,
			fmt.Sprintf("the batch repeats %d instruction id(s): %s; each payment must appear once", len(dups), strings.Join(quoteAll(dups), ", ")), vs...)
	}
	var out BatchInput
	var vs []apierr.FieldViolation
	for i, it := range items {
		in, problems := checkInstruction(i, it)
		vs = append(vs, problems...)
		if len(problems) > 0 {
			continue
		}
		in.Seq = i
		if out.Currency == "" {
			out.Currency = in.Currency
		} else if in.Currency != out.Currency {
			vs = append(vs, apierr.FieldViolation{Field: fmt.Sprintf("[%d].currency", i),
				Description: fmt.Sprintf("is %s; the batch is in %s (one currency per batch)", in.Currency, out.Currency)})
		}
		payer := it.Debit["payerIdentifier"]
		switch {
		case payer == "":
		case out.Payer == "":
			out.Payer = payer
		case payer != out.Payer:
			vs = append(vs, apierr.FieldViolation{Field: fmt.Sprintf("[%d].debitParty", i),
				Description: fmt.Sprintf("names payer %q; the batch's payer is %q (one payer per batch)", payer, out.Payer)})
		}
		out.Instructions = append(out.Instructions, in)
	}
	if len(vs) > 0 {
		if len(vs) > 50 {
			vs = vs[:50]
		}
		return BatchInput{}, apierr.Invalid("INVALID_INSTRUCTIONS", fmt.Sprintf("%d problem(s) in the batch; the first: %s %s", len(vs), vs[0].Field, vs[0].Description), vs...)
	}
	return out, nil
}

func checkInstruction(i int, it InstructionInput) (Instruction, []apierr.FieldViolation) {
	field := func(name string) string { return fmt.Sprintf("[%d].%s", i, name) }
	var vs []apierr.FieldViolation
	in := Instruction{ID: it.ID, Narration: it.Narration, References: it.References, Status: InstructionReceived}
	switch {
	case it.ID == "":
		vs = append(vs, apierr.FieldViolation{Field: field("requestId"), Description: "is required: the instruction's id"})
	case len(it.ID) > MaxInstructionIDLength:
		vs = append(vs, apierr.FieldViolation{Field: field("requestId"), Description: fmt.Sprintf("is longer than %d characters", MaxInstructionIDLength)})
	}
	currency, err := ParseCurrency(field("currency"), it.Currency)
	if err != nil {
		vs = append(vs, violationsOf(err)...)
	}
	in.Currency = currency
	if currency != "" {
		if in.Amount, err = ParseAmount(field("amount"), it.Amount, currency); err != nil {
			vs = append(vs, violationsOf(err)...)
		}
	}
	in.Payee.Identity, in.Payee.Account = Parties(it.Credit)
	in.Payee.Account.Modality = it.PaymentMode
	if in.Payee.Identity == "" && in.Payee.Account.FinancialAddress == "" {
		vs = append(vs, apierr.FieldViolation{Field: field("creditParty"),
			Description: "names no payee: give functionalId (a registered beneficiary) or msisdn/accountNumber"})
	}
	if m := it.PaymentMode; m != "" && !ValidModality(m) {
		vs = append(vs, apierr.FieldViolation{Field: field("paymentMode"), Description: fmt.Sprintf("%q is not a payment modality: use %s", m, strings.Join(Modalities, ", "))})
	}
	return in, vs
}

func violationsOf(err error) []apierr.FieldViolation {
	if e, ok := apierr.As(err); ok && len(e.Violations) > 0 {
		return e.Violations
	}
	return []apierr.FieldViolation{{Field: "(body)", Description: err.Error()}}
}

func duplicateIDs(items []InstructionInput) []string {
	seen := map[string]int{}
	for _, it := range items {
		if it.ID != "" {
			seen[it.ID]++
		}
	}
	var dups []string
	for id, n := range seen {
		if n > 1 {
			dups = append(dups, id)
		}
	}
	sort.Strings(dups)
	return dups
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// Modalities are GovStack's payment modality codes.
var Modalities = []string{"00", "01", "02", "03", "04"}

// The modality codes by name.
const (
	ModalityBank          = "00"
	ModalityMobileMoney   = "01"
	ModalityVoucher       = "02"
	ModalityDigitalWallet = "03"
	ModalityProxy         = "04"
)

// ValidModality reports whether m is one of GovStack's modality codes.
func ValidModality(m string) bool {
	for _, x := range Modalities {
		if m == x {
			return true
		}
	}
	return false
}
