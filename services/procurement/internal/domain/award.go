package domain

import (
	"strconv"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Award statuses.
const (
	AwardStandstill = "standstill"
	AwardActive     = "active"
	AwardContracted = "contracted"
	AwardCancelled  = "cancelled"
)

// Award is the decision for the best-value bid.
type Award struct {
	ID, TenderID, BidID, CompanyID, Value, Currency, Status string
	DecidedAt, StandstillEnd                                time.Time
	StandstillOver                                          bool // the standstill deadline was reached
	Complaints                                              []Complaint
}

// Complaint is a bidder's objection during the standstill.
type Complaint struct {
	ID, AwardID, CompanyID, Text, Status, Resolution string
	FiledAt                                          time.Time
}

// Complaint statuses.
const (
	ComplaintOpen     = "open"
	ComplaintResolved = "resolved"
)

// OpenComplaints counts the complaints not yet resolved.
func (a Award) OpenComplaints() int {
	n := 0
	for _, c := range a.Complaints {
		if c.Status == ComplaintOpen {
			n++
		}
	}
	return n
}

// MayComplain checks a complaint may be filed at now.
func (a Award) MayComplain(now time.Time) error {
	if a.Status != AwardStandstill || a.StandstillOver || !now.Before(a.StandstillEnd) {
		return apierr.FailedPrecondition(ReasonStandstill, "complaints are taken during the standstill only, which ended or has not begun")
	}
	return nil
}

// EndStandstill reports whether the standstill may end now (its deadline reached and no complaint open) and,
// if so, makes the award active.
func (a *Award) EndStandstill() bool {
	if a.Status != AwardStandstill || !a.StandstillOver || a.OpenComplaints() > 0 {
		return false
	}
	a.Status = AwardActive
	return true
}

// Contract statuses and milestone statuses.
const (
	ContractActive     = "active"
	ContractTerminated = "terminated"
	MilestoneScheduled = "scheduled"
	MilestoneDelivered = "delivered"
	MilestonePaid      = "paid"
)

// Contract is signed with the awarded supplier and paid by milestones.
type Contract struct {
	ID, TenderID, AwardID, CompanyID, Value, Currency, Status string
	PeriodStart, PeriodEnd, SignedAt                          time.Time
	PayeeKey, PayeeValue                                      string
	Milestones                                                []Milestone
}

// Milestone is one delivery and its payment.
type Milestone struct {
	ID, ContractID, Title, Amount, Status, PaymentBatchID string
	DueDate, DeliveredAt, PaidAt                          time.Time
}

// CheckContract checks a contract being signed: its period, and milestones that sum to the award's value.
func CheckContract(a Award, c Contract) error {
	var v []apierr.FieldViolation
	if c.PeriodStart.IsZero() || c.PeriodEnd.IsZero() || !c.PeriodEnd.After(c.PeriodStart) {
		v = append(v, field("periodEnd", "the period needs a start and an end after it (RFC 3339 dates)"))
	}
	if len(c.Milestones) == 0 || len(c.Milestones) > 50 {
		v = append(v, field("milestones", "1 to 50 milestones"))
	}
	var sum int64
	for i, m := range c.Milestones {
		at := "milestones[" + strconv.Itoa(i) + "]"
		cents, ok := Cents(m.Amount)
		if !ok || cents <= 0 {
			v = append(v, field(at+".amount", "%q is not a positive amount", m.Amount))
		}
		sum += cents
		if strings.TrimSpace(m.Title) == "" {
			v = append(v, field(at+".title", "required"))
		}
	}
	if want, _ := Cents(a.Value); len(c.Milestones) > 0 && sum != want {
		v = append(v, field("milestones", "the amounts sum to %s: they must sum to the awarded value %s", FormatCents(sum), a.Value))
	}
	if len(v) > 0 {
		return invalid("the contract cannot be signed: see details", v)
	}
	return nil
}

// Milestone returns the milestone with id.
func (c *Contract) Milestone(id string) (*Milestone, bool) {
	for i := range c.Milestones {
		if c.Milestones[i].ID == id {
			return &c.Milestones[i], true
		}
	}
	return nil, false
}

// AllPaid reports whether every milestone is paid.
func (c Contract) AllPaid() bool {
	for _, m := range c.Milestones {
		if m.Status != MilestonePaid {
			return false
		}
	}
	return true
}

// Deliver confirms a milestone's delivery.
func (m *Milestone) Deliver(now time.Time) error {
	if m.Status != MilestoneScheduled {
		return wrongStatus("the milestone", m.Status, MilestoneScheduled)
	}
	m.Status, m.DeliveredAt = MilestoneDelivered, now
	return nil
}

// Pay records the milestone's payment settled; false when it was already paid (a repeated event).
func (m *Milestone) Pay(now time.Time) bool {
	if m.Status == MilestonePaid {
		return false
	}
	m.Status, m.PaidAt = MilestonePaid, now
	return true
}
