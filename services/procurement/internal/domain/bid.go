package domain

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Bid statuses.
const (
	BidSubmitted    = "submitted"
	BidWithdrawn    = "withdrawn"
	BidEligible     = "eligible"
	BidDisqualified = "disqualified"
	BidAwarded      = "awarded"
	BidNotAwarded   = "not_awarded"
)

const maxProposal = 20000

// Bid is a supplier's offer. Contents is the price and proposal: sealed (Sealed holds them encrypted) until
// the bids are opened, when Contents is filled from the seal.
type Bid struct {
	ID, TenderID, CompanyID, SupplierID, SupplierEmail, Status string
	Contents                                                   BidContents
	Sealed                                                     []byte // the sealed contents; nil once opened
	Opened                                                     bool
	SubmittedAt, UpdatedAt                                     time.Time
	DisqualificationReason                                     string
	TotalScore                                                 int64 // hundredths of a point, once combined
	Rank                                                       int
}

// BidContents is what is sealed.
type BidContents struct {
	Price     string     `json:"price"`
	Proposal  string     `json:"proposal"`
	Documents []Document `json:"documents,omitempty"`
}

// Check names the contents' problems.
func (c BidContents) Check() error {
	var v []apierr.FieldViolation
	if cents, ok := Cents(c.Price); !ok || cents <= 0 {
		v = append(v, field("price", "%q is not a positive amount: a decimal string such as \"98000.00\"", c.Price))
	}
	if p := strings.TrimSpace(c.Proposal); p == "" || utf8.RuneCountInString(p) > maxProposal {
		v = append(v, field("proposal", "required, at most %d characters", maxProposal))
	}
	v = append(v, CheckDocuments("documents", c.Documents)...)
	if len(v) > 0 {
		return invalid("the bid is incomplete: see details", v)
	}
	return nil
}

// Owned checks that companyID is the bidder.
func (b Bid) Owned(companyID string) error {
	if b.CompanyID != companyID {
		return apierr.PermissionDenied(ReasonNotYours, "this bid is another company's")
	}
	return nil
}

// Withdraw withdraws a submitted bid.
func (b *Bid) Withdraw(now time.Time) error {
	if b.Status != BidSubmitted {
		return wrongStatus("the bid", b.Status, BidSubmitted)
	}
	b.Status, b.UpdatedAt = BidWithdrawn, now
	return nil
}

// Decide records the eligibility check's outcome.
func (b *Bid) Decide(eligible bool, reason string) {
	if eligible {
		b.Status = BidEligible
		return
	}
	b.Status, b.DisqualificationReason = BidDisqualified, reason
}

// Question is a supplier's question and the buyer's answer.
type Question struct {
	ID, TenderID, AskedBy, AskerEmail, Text, Answer string
	AskedAt, AnsweredAt                             time.Time
}

// CheckText checks a question's or answer's text.
func CheckText(name, s string, max int) error {
	if t := strings.TrimSpace(s); t == "" || utf8.RuneCountInString(t) > max {
		return invalid(name+" is required", []apierr.FieldViolation{field(name, "1 to %d characters", max)})
	}
	return nil
}
