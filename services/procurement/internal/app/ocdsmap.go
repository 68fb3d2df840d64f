package app

import (
	"fmt"
	"strings"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
)

// The mapping of procurement's model to OCDS 1.1.5 + bids (internal/ocds/README.md says why each choice).

// money is an OCDS value from a decimal string the domain keeps in minor units ("125000.50" → 125000.5).
func money(amount, currency string) *ocds.Value {
	cents, ok := domain.Cents(amount)
	if !ok {
		return nil
	}
	return &ocds.Value{Amount: float64(cents) / 100, Currency: currency}
}

// buyerRef names the buyer's organisation (the token's org claim) as its party id.
func buyerRef(t domain.Tender) ocds.OrganizationReference {
	return ocds.OrganizationReference{ID: t.BuyerOrg, Name: t.BuyerOrg}
}

// companyRef names a supplier by its company id in the companies registry.
func companyRef(companyID string) ocds.OrganizationReference {
	return ocds.OrganizationReference{ID: companyID}
}

func tenderStatus(s string) string {
	switch s {
	case domain.StatusDraft:
		return ocds.TenderPlanning
	case domain.StatusComplete:
		return ocds.TenderComplete
	case domain.StatusCancelled:
		return ocds.TenderCancelled
	case domain.StatusUnsuccessful:
		return ocds.TenderUnsuccessful
	}
	return ocds.TenderActive // active, evaluation, awarded, contracted: the process is under way
}

func ocdsTender(st processState, opened bool) *ocds.Tender {
	t := st.tender
	buyer := buyerRef(t)
	out := &ocds.Tender{ID: t.ID, Title: t.Title, Description: t.Description, Status: tenderStatus(t.Status),
		ProcuringEntity: &buyer, Value: money(t.EstimatedValue, t.Currency), ProcurementMethod: "open",
		AwardCriteria: "ratedCriteria", AwardCriteriaDetails: criteriaInWords(t.Criteria),
		SubmissionMethod: []string{"electronicSubmission"}, HasEnquiries: &st.hasQuestions}
	for _, it := range t.Items {
		qty := float64(it.Quantity)
		item := ocds.Item{ID: it.ID, Description: it.Description, Quantity: &qty,
			Classification: &ocds.Classification{Scheme: "CPV", ID: it.CPV}}
		if it.Unit != "" {
			item.Unit = &ocds.Unit{Name: it.Unit}
		}
		out.Items = append(out.Items, item)
	}
	if !t.PublishedAt.IsZero() {
		out.EnquiryPeriod = &ocds.Period{StartDate: t.PublishedAt.UTC(), EndDate: t.EnquiryEnd.UTC()}
		out.TenderPeriod = &ocds.Period{StartDate: t.PublishedAt.UTC(), EndDate: t.TenderEnd.UTC()}
	}
	for _, d := range t.Documents {
		out.Documents = append(out.Documents, ocds.Document{ID: d.ID, DocumentType: "biddingDocuments", Title: d.Title,
			URL: d.URL, DatePublished: timeOrZero(t.PublishedAt)})
	}
	if opened {
		out.AwardPeriod = &ocds.Period{StartDate: t.BidsOpenedAt.UTC()}
		for _, a := range st.awards {
			out.AwardPeriod.EndDate = a.DecidedAt.UTC()
		}
		seen := map[string]bool{}
		for _, b := range st.bids {
			if b.Status != domain.BidWithdrawn && !seen[b.CompanyID] {
				seen[b.CompanyID] = true
				out.Tenderers = append(out.Tenderers, companyRef(b.CompanyID))
			}
		}
		n := len(out.Tenderers)
		out.NumberOfTenderers = &n
	}
	return out
}

// criteriaInWords is the award criteria's weights, e.g. "Price (price) 60%; Delivery plan (quality) 40%":
// OCDS core has no structured field for them.
func criteriaInWords(cs []domain.Criterion) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s (%s) %d%%", c.Name, c.Kind, c.Weight))
	}
	return strings.Join(parts, "; ")
}

func bidStatus(b domain.Bid) string {
	switch b.Status {
	case domain.BidWithdrawn:
		return ocds.BidWithdrawn
	case domain.BidDisqualified:
		return ocds.BidDisqualified
	case domain.BidEligible, domain.BidAwarded, domain.BidNotAwarded:
		return ocds.BidValid
	}
	return ocds.BidPending // submitted: opened, not yet checked
}

// ocdsBids are the bids as OCDS sees them. Before the opening only who and when is known here, and
// ocds.PublishBids publishes no more than the counts; a withdrawn bid never shows its contents.
func ocdsBids(bids []domain.Bid, currency string, opened bool) []ocds.Bid {
	out := make([]ocds.Bid, 0, len(bids))
	for _, b := range bids {
		ob := ocds.Bid{ID: b.ID, Date: timeOrZero(b.SubmittedAt), Status: bidStatus(b), Tenderers: []ocds.OrganizationReference{companyRef(b.CompanyID)}}
		if opened && b.Opened {
			ob.Value = money(b.Contents.Price, currency)
			for _, d := range b.Contents.Documents {
				ob.Documents = append(ob.Documents, ocds.Document{ID: d.ID, Title: d.Title, URL: d.URL})
			}
		}
		out = append(out, ob)
	}
	return out
}

func awardStatus(s string) string {
	switch s {
	case domain.AwardStandstill:
		return ocds.AwardPending
	case domain.AwardCancelled:
		return ocds.AwardCancelled
	}
	return ocds.AwardActive
}

func ocdsAward(a domain.Award, t domain.Tender) ocds.Award {
	return ocds.Award{ID: a.ID, Title: "Award of " + t.Title, Status: awardStatus(a.Status), Date: timeOrZero(a.DecidedAt),
		Value: money(a.Value, a.Currency), Suppliers: []ocds.OrganizationReference{companyRef(a.CompanyID)}}
}

func contractStatus(c domain.Contract, t domain.Tender) string {
	switch {
	case c.Status == domain.ContractTerminated:
		return ocds.ContractTerminated
	case t.Status == domain.StatusCancelled:
		return ocds.ContractCancelled
	}
	return ocds.ContractActive
}

// ocdsContract is the contract with its delivery milestones and, under implementation, one transaction per
// paid milestone (the buyer pays the supplier).
func ocdsContract(c domain.Contract, t domain.Tender) ocds.Contract {
	buyer := buyerRef(t)
	out := ocds.Contract{ID: c.ID, AwardID: c.AwardID, Title: "Contract for " + t.Title, Status: contractStatus(c, t),
		Value: money(c.Value, c.Currency), DateSigned: timeOrZero(c.SignedAt),
		Period: &ocds.Period{StartDate: timeOrZero(c.PeriodStart), EndDate: timeOrZero(c.PeriodEnd)}}
	var txs []ocds.Transaction
	for _, m := range c.Milestones {
		om := ocds.Milestone{ID: m.ID, Title: m.Title, Type: "delivery", DueDate: timeOrZero(m.DueDate), Status: ocds.MilestoneScheduled}
		if m.Status != domain.MilestoneScheduled {
			om.Status, om.DateMet = ocds.MilestoneMet, timeOrZero(m.DeliveredAt)
		}
		out.Milestones = append(out.Milestones, om)
		if m.Status == domain.MilestonePaid {
			payee := companyRef(c.CompanyID)
			txs = append(txs, ocds.Transaction{ID: m.ID, Date: timeOrZero(m.PaidAt),
				Value: money(m.Amount, c.Currency), Payer: &buyer, Payee: &payee})
		}
	}
	if len(txs) > 0 {
		out.Implementation = &ocds.Implementation{Transactions: txs}
	}
	return out
}

// parties lists every organisation with all the roles it has by now: the buyer (payer once it paid), and —
// once the bids are open, never before — each bidder as tenderer, the awarded one also supplier and payee.
func parties(st processState, opened bool) []ocds.Organization {
	buyer := ocds.Organization{ID: st.tender.BuyerOrg, Name: st.tender.BuyerOrg, Roles: []string{ocds.RoleBuyer, ocds.RoleProcuringEntity}}
	paid := false
	for _, c := range st.contracts {
		for _, m := range c.Milestones {
			paid = paid || m.Status == domain.MilestonePaid
		}
	}
	if paid {
		buyer.Roles = append(buyer.Roles, ocds.RolePayer)
	}
	out := []ocds.Organization{buyer}
	if !opened {
		return out
	}
	awarded := map[string]bool{}
	for _, a := range st.awards {
		if a.Status != domain.AwardCancelled {
			awarded[a.CompanyID] = true
		}
	}
	seen := map[string]bool{}
	for _, b := range st.bids {
		if b.Status == domain.BidWithdrawn || seen[b.CompanyID] {
			continue
		}
		seen[b.CompanyID] = true
		roles := []string{ocds.RoleTenderer}
		if awarded[b.CompanyID] {
			roles = append(roles, ocds.RoleSupplier, ocds.RolePayee)
		}
		out = append(out, ocds.Organization{ID: b.CompanyID, Roles: roles})
	}
	return out
}
