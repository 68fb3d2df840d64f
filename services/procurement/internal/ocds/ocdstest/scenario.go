// Package ocdstest builds the OCDS releases of whole contracting processes for tests and benchmarks of
// the ocds and redflags packages (and of the service that publishes them).
package ocdstest

import (
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
)

// How a scenario's process ends.
const (
	EndPaid         = "paid"         // awarded, contracted, every milestone paid
	EndCancelled    = "cancelled"    // the buyer cancels after bids arrived
	EndUnsuccessful = "unsuccessful" // no valid bid
)

// Scenario describes one contracting process; Releases turns it into the releases the service would
// publish. Zero fields take the defaults of Default.
type Scenario struct {
	OCID        string
	Buyer       string // organisation id of the buyer
	Published   time.Time
	EnquiryDays int
	TenderDays  int     // length of the tender period
	Estimate    float64 // tender.value
	Bidders     []string
	Winner      string  // one of Bidders
	AwardValue  float64 // award and contract value
	Amend       bool    // a tenderUpdate after publication raises the value and extends the deadline
	Payments    int     // milestones paid, one implementation release each
	End         string
}

// Default is a three-bidder open tender paid in two milestones.
func Default(ocid string) Scenario {
	return Scenario{
		OCID: ocid, Buyer: "GB-GOR-ACAD01", Published: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		EnquiryDays: 10, TenderDays: 30, Estimate: 120000, Bidders: []string{"GB-COH-00000001", "GB-COH-00000002", "GB-COH-00000003"},
		Winner: "GB-COH-00000002", AwardValue: 110000, Payments: 2, End: EndPaid,
	}
}

// Currency of every amount in scenarios.
const Currency = "GBP"

func (s Scenario) value(amount float64) *ocds.Value {
	return &ocds.Value{Amount: amount, Currency: Currency}
}

func day(t time.Time, n int) time.Time { return t.AddDate(0, 0, n) }

// Releases returns the process's releases, oldest first, each complete for its stage (as the service
// publishes: every release repeats the current state of the sections it touches).
func (s Scenario) Releases() []ocds.Release {
	b := builder{s: s, at: s.Published}
	b.publishTender()
	if s.Amend {
		b.amend()
	}
	b.bidsReceived()
	switch s.End {
	case EndCancelled:
		b.cancel()
		return b.out
	case EndUnsuccessful:
		b.unsuccessful()
		return b.out
	}
	b.opening()
	b.award()
	b.contract()
	for i := 1; i <= s.Payments; i++ {
		b.payment(i)
	}
	return b.out
}

type builder struct {
	s      Scenario
	at     time.Time
	tender *ocds.Tender
	out    []ocds.Release
}

func (b *builder) release(at time.Time, tag string, fill func(r *ocds.Release)) {
	b.at = at
	r := ocds.Release{
		OCID: b.s.OCID, ID: fmt.Sprintf("%s-%02d-%s", b.s.OCID, len(b.out)+1, tag), Date: at, Tag: []string{tag},
		InitiationType: "tender", Language: "en", Buyer: &ocds.OrganizationReference{ID: b.s.Buyer, Name: "Buyer " + b.s.Buyer},
		Parties: []ocds.Organization{{ID: b.s.Buyer, Name: "Buyer " + b.s.Buyer, Roles: []string{ocds.RoleBuyer, ocds.RoleProcuringEntity}}},
	}
	fill(&r)
	b.out = append(b.out, r)
}

func (b *builder) publishTender() {
	s := b.s
	qty := 40.0
	b.tender = &ocds.Tender{
		ID: s.OCID + "-tender", Title: "IT communications equipment", Description: "Laptops and network switches",
		Status: ocds.TenderActive, Value: s.value(s.Estimate), ProcurementMethod: "open",
		MainProcurementCategory: "goods", AwardCriteria: "ratedCriteria", AwardCriteriaDetails: "price 60%, quality 40%",
		SubmissionMethod: []string{"electronicSubmission"},
		Items: []ocds.Item{{ID: "1", Description: "Laptop", Quantity: &qty,
			Classification: &ocds.Classification{Scheme: "CPV", ID: "30213100", Description: "Portable computers"}}},
		EnquiryPeriod: &ocds.Period{StartDate: s.Published, EndDate: day(s.Published, s.EnquiryDays)},
		TenderPeriod:  &ocds.Period{StartDate: s.Published, EndDate: day(s.Published, s.TenderDays)},
		Documents: []ocds.Document{{ID: "notice", DocumentType: "tenderNotice", Title: "Contract notice",
			URL: "https://example.org/tenders/" + s.OCID + "/notice.pdf", DatePublished: s.Published, Format: "application/pdf"}},
	}
	b.release(s.Published, ocds.TagTender, func(r *ocds.Release) { r.Tender = b.copyTender() })
}

func (b *builder) copyTender() *ocds.Tender {
	t := *b.tender
	return &t
}

func (b *builder) amend() {
	b.tender.Value = b.s.value(b.s.Estimate * 1.2)
	end := day(b.tender.TenderPeriod.EndDate, 7)
	b.tender.TenderPeriod = &ocds.Period{StartDate: b.tender.TenderPeriod.StartDate, EndDate: end}
	b.release(day(b.s.Published, 3), ocds.TagTenderUpdate, func(r *ocds.Release) { r.Tender = b.copyTender() })
}

// bids are the scenario's bids; in the unsuccessful ending every one is disqualified.
func (b *builder) bids() []ocds.Bid {
	var out []ocds.Bid
	for i, id := range b.s.Bidders {
		status, amount := ocds.BidValid, b.s.AwardValue*(1+0.05*float64(i))
		if id == b.s.Winner {
			amount = b.s.AwardValue
		}
		if b.s.End == EndUnsuccessful {
			status = ocds.BidDisqualified
		}
		out = append(out, ocds.Bid{ID: fmt.Sprintf("bid-%d", i+1), Date: day(b.s.Published, 5+i), Status: status,
			Tenderers: []ocds.OrganizationReference{{ID: id, Name: "Supplier " + id}}, Value: b.s.value(amount)})
	}
	return out
}

// bidsReceived publishes the sealed counts while the tender period runs.
func (b *builder) bidsReceived() {
	at := day(b.tender.TenderPeriod.EndDate, -1)
	b.release(at, ocds.TagTenderUpdate, func(r *ocds.Release) {
		r.Bids = ocds.PublishBids(sealed(b.bids()), false, at)
	})
}

// sealed keeps only what the service knows before the opening without decrypting: who and when.
func sealed(bids []ocds.Bid) []ocds.Bid {
	out := make([]ocds.Bid, len(bids))
	for i, bd := range bids {
		out[i] = ocds.Bid{ID: bd.ID, Date: bd.Date, Status: ocds.BidPending, Tenderers: bd.Tenderers}
	}
	return out
}

// bidderParties adds every bidder to parties; once awarded, the winner is also supplier and payee.
func (b *builder) bidderParties(r *ocds.Release, awarded bool) {
	for _, id := range b.s.Bidders {
		roles := []string{ocds.RoleTenderer}
		if awarded && id == b.s.Winner {
			roles = append(roles, ocds.RoleSupplier, ocds.RolePayee)
		}
		r.Parties = append(r.Parties, ocds.Organization{ID: id, Name: "Supplier " + id, Roles: roles})
	}
}

func (b *builder) opening() {
	at := day(b.tender.TenderPeriod.EndDate, 1)
	n := len(b.s.Bidders)
	b.tender.NumberOfTenderers = &n
	b.release(at, ocds.TagTenderUpdate, func(r *ocds.Release) {
		b.bidderParties(r, false)
		r.Tender = b.copyTender()
		r.Bids = ocds.PublishBids(b.bids(), true, at)
	})
}

func (b *builder) award() {
	at := day(b.at, 14)
	b.tender.Status = ocds.TenderComplete
	b.release(at, ocds.TagAward, func(r *ocds.Release) {
		b.bidderParties(r, true)
		r.Tender = b.copyTender()
		r.Awards = []ocds.Award{b.awardOf(at)}
	})
}

func (b *builder) awardOf(at time.Time) ocds.Award {
	return ocds.Award{ID: b.s.OCID + "-award-1", Title: "Award", Status: ocds.AwardActive, Date: at,
		Value: b.s.value(b.s.AwardValue), Suppliers: []ocds.OrganizationReference{{ID: b.s.Winner, Name: "Supplier " + b.s.Winner}}}
}

func (b *builder) contractOf(status string, paid int) ocds.Contract {
	c := ocds.Contract{ID: b.s.OCID + "-contract-1", AwardID: b.s.OCID + "-award-1", Status: status,
		Value: b.s.value(b.s.AwardValue), Period: &ocds.Period{StartDate: b.at, EndDate: day(b.at, 180)}}
	for i := 1; i <= b.s.Payments; i++ {
		m := ocds.Milestone{ID: fmt.Sprintf("m%d", i), Title: fmt.Sprintf("Delivery %d", i), Type: "delivery",
			DueDate: day(b.at, 30*i), Status: ocds.MilestoneScheduled}
		if i <= paid {
			m.Status = ocds.MilestoneMet
		}
		c.Milestones = append(c.Milestones, m)
	}
	return c
}

func (b *builder) contract() {
	at := day(b.at, 10) // after the standstill period
	b.release(at, ocds.TagContract, func(r *ocds.Release) {
		c := b.contractOf(ocds.ContractActive, 0)
		c.DateSigned = at
		r.Contracts = []ocds.Contract{c}
	})
}

func (b *builder) payment(i int) {
	tag := ocds.TagImplementation
	if i > 1 {
		tag = ocds.TagImplementationUpdate
	}
	at := day(b.at, 30)
	status := ocds.ContractActive
	if i == b.s.Payments {
		status = ocds.ContractTerminated // every milestone paid: the contract has come to its close
	}
	b.release(at, tag, func(r *ocds.Release) {
		c := b.contractOf(status, i)
		share := b.s.AwardValue / float64(b.s.Payments)
		c.Implementation = &ocds.Implementation{Transactions: []ocds.Transaction{{
			ID: fmt.Sprintf("payment-%d", i), Source: "https://payments.example.org", Date: at, Value: b.s.value(share),
			Payer: &ocds.OrganizationReference{ID: b.s.Buyer}, Payee: &ocds.OrganizationReference{ID: b.s.Winner},
		}}}
		r.Contracts = []ocds.Contract{c}
		r.Parties[0].Roles = append(r.Parties[0].Roles, ocds.RolePayer)
	})
}

func (b *builder) cancel() {
	b.tender.Status = ocds.TenderCancelled
	b.release(day(b.at, 2), ocds.TagTenderCancellation, func(r *ocds.Release) { r.Tender = b.copyTender() })
}

func (b *builder) unsuccessful() {
	b.tender.Status = ocds.TenderUnsuccessful
	at := day(b.tender.TenderPeriod.EndDate, 1)
	b.release(at, ocds.TagTenderUpdate, func(r *ocds.Release) {
		b.bidderParties(r, false)
		r.Tender = b.copyTender()
		r.Bids = ocds.PublishBids(b.bids(), true, at)
	})
}
