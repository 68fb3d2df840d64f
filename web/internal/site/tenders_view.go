package site

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// What the procurement pages show of the API's records: statuses in the page's words, money with its
// currency, times in UTC — the procurement service counts working days in UTC, so its deadlines are shown
// in the zone they were set in, and the page says so.

// when is a time as the procurement pages show it ("Monday 7 December 2026, 14:05 UTC"); "" when unset.
func (c *Ctx) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	return c.longDate(t) + ", " + clock(t) + " UTC"
}

// money is an amount with its currency ("EUR 9,500.00"); "" without an amount.
func money(amount, currency string) string {
	if amount == "" {
		return ""
	}
	whole, frac, hasFrac := strings.Cut(amount, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return strings.TrimSpace(currency + " " + out)
}

// statusText is a status in the page's words (<kind>.status.<status>), or the status itself when the files
// have none (a status added to the API later).
func (c *Ctx) statusText(kind, status string) string {
	key := kind + ".status." + strings.ToLower(status)
	if c.Loc.Has(key) {
		return c.Loc.T(key)
	}
	return status
}

// statusTag is the GOV.UK tag colour of a status.
func statusTag(status string) string {
	switch strings.ToLower(status) {
	case "draft", "withdrawn", "scheduled", "received":
		return "govuk-tag--grey"
	case "active", "submitted", "standstill", "delivered", "validated":
		return "govuk-tag--blue"
	case "evaluation", "awaiting_approval":
		return "govuk-tag--yellow"
	case "awarded", "eligible", "contracted", "paid", "complete", "completed", "authorized", "resolved":
		return "govuk-tag--green"
	case "cancelled", "unsuccessful", "disqualified", "not_awarded", "rejected", "open":
		return "govuk-tag--red"
	}
	return ""
}

// tenderView is a tender as the pages show it.
type tenderView struct {
	gatewayapi.Tender
	Link, StatusText, StatusTag, Value, EnquiryEnds, TenderEnds, Published string
	Items                                                                  []itemView
	Lots                                                                   []lotView
	Docs                                                                   []docLink
	Cancellable                                                            bool
}

// lotView is one lot of a tender, its value with the tender's currency.
type lotView struct {
	gatewayapi.Lot
	Value string
}

// itemView is one item of a tender.
type itemView struct {
	gatewayapi.Item
	Quantity string
}

func (c *Ctx) tenderView(t gatewayapi.Tender, link string) tenderView {
	v := tenderView{Tender: t, Link: link, StatusText: c.statusText("tender", t.Status), StatusTag: statusTag(t.Status),
		Value: money(t.EstimatedValue, t.Currency), EnquiryEnds: c.when(t.EnquiryEnd), TenderEnds: c.when(t.TenderEnd),
		Published: c.when(t.PublishedAt), Cancellable: cancellable(t.Status), Docs: documentLinks(t.Documents, publicLink(t.ID))}
	for _, it := range t.Items {
		v.Items = append(v.Items, itemView{Item: it, Quantity: c.Loc.T("tender.quantity_of", it.Quantity, it.Unit)})
	}
	for _, l := range t.Lots {
		v.Lots = append(v.Lots, lotView{Lot: l, Value: money(l.EstimatedValue, t.Currency)})
	}
	return v
}

// publicLink is a tender's public page; buyerLink its buyer's page.
func publicLink(id string) string { return "/tenders/" + url.PathEscape(id) }
func buyerLink(id string) string  { return "/buyer/tenders/" + url.PathEscape(id) }

// bidView is a bid as the pages show it.
type bidView struct {
	gatewayapi.Bid
	StatusText, StatusTag, Price, Submitted, Updated string
	Docs                                             []docLink
}

func (c *Ctx) bidView(b gatewayapi.Bid, currency string) bidView {
	return bidView{Bid: b, StatusText: c.statusText("bid", b.Status), StatusTag: statusTag(b.Status), Price: money(b.Price, currency),
		Submitted: c.when(b.SubmittedAt), Updated: c.when(b.UpdatedAt),
		Docs: documentLinks(b.Documents, publicLink(b.TenderID)+"/bids/"+url.PathEscape(b.ID))}
}

// questionView is a question and its answer.
type questionView struct {
	gatewayapi.Question
	Asked, Answered string
}

func (c *Ctx) questionViews(qs []gatewayapi.Question) []questionView {
	out := make([]questionView, 0, len(qs))
	for _, q := range qs {
		out = append(out, questionView{Question: q, Asked: c.when(q.AskedAt), Answered: c.when(q.AnsweredAt)})
	}
	return out
}

// awardView is an award with its complaints.
type awardView struct {
	gatewayapi.Award
	StatusText, StatusTag, Value, Decided, StandstillEnds string
	Complaints                                            []complaintView
}

type complaintView struct {
	gatewayapi.Complaint
	StatusText, StatusTag, Filed string
}

func (c *Ctx) awardView(a gatewayapi.Award) awardView {
	v := awardView{Award: a, StatusText: c.statusText("award", a.Status), StatusTag: statusTag(a.Status),
		Value: money(a.Value, a.Currency), Decided: c.when(a.DecidedAt), StandstillEnds: c.when(a.StandstillEnd)}
	for _, k := range a.Complaints {
		v.Complaints = append(v.Complaints, complaintView{Complaint: k, StatusText: c.statusText("complaint", k.Status),
			StatusTag: statusTag(k.Status), Filed: c.when(k.FiledAt)})
	}
	return v
}

// readTender reads the tender {id} of the path for the signed-in person (or anyone), answering the page
// itself when it cannot.
func (s *Site) readTender(c *Ctx) (gatewayapi.Tender, bool) {
	t, err := s.api.Tender(c.R.Context(), c.Data.AccessToken, c.R.PathValue("id"))
	if err != nil {
		c.apiFail(err)
		return t, false
	}
	return t, true
}

// ownsTender reports whether t is the signed-in buyer's organisation's.
func (c *Ctx) ownsTender(t gatewayapi.Tender) bool {
	return c.Data.HasRole(roleBuyer) && t.BuyerOrganisation != "" && t.BuyerOrganisation == c.Data.Account.Organisation
}

// buyersTender reads the tender {id} of the path when it is the signed-in buyer's organisation's: 404
// otherwise (another organisation's tender is not theirs to run).
func (s *Site) buyersTender(c *Ctx) (gatewayapi.Tender, bool) {
	t, ok := s.readTender(c)
	if ok && !c.ownsTender(t) {
		c.fail(http.StatusNotFound, "error.not_found")
		return t, false
	}
	return t, ok
}
