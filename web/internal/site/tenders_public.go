package site

import (
	"net/http"
	"strings"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The public side of tenders: open tenders to browse and search by text or CPV code (anyone may read
// them), a tender's page with its documents and the questions answered in public, and — for a signed-in
// supplier — asking a question, their bid and the award.

// openTendersPage lists the tenders open for bids, filtered by ?q= (words of the title, description or
// buyer, or a CPV code), twenty to a page. The API has no search: it lists at most tendersLimit, filtered here.
func (s *Site) openTendersPage(c *Ctx) {
	all, err := s.api.Tenders(c.R.Context(), c.Data.AccessToken, "active", tendersLimit)
	if err != nil {
		c.apiFail(err)
		return
	}
	q := strings.TrimSpace(c.R.URL.Query().Get("q"))
	var found []gatewayapi.Tender
	for _, t := range all {
		if matches(t, q) {
			found = append(found, t)
		}
	}
	c.Render("tender-list", "tender.list.title", NewForm().Set("q", q), s.pageOfTenders(c, found, "/tenders", q, publicLink))
}

// matches reports whether every word of q is in the tender's title, description, buyer or an item's
// description or CPV code (a code matches with or without its check digit).
func matches(t gatewayapi.Tender, q string) bool {
	text := strings.ToLower(t.Title + " " + t.Description + " " + t.BuyerOrganisation)
	for _, it := range t.Items {
		text += " " + strings.ToLower(it.Description) + " " + it.CPVCode
	}
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// publicTenderData is the data of a tender's public page.
type publicTenderData struct {
	T         tenderView
	Questions []questionView
	Supplier  bool
	CanAsk    bool // the enquiry period is open
	CanBid    bool // the tender period is open
	Bid       *bidView
	Award     *awardView
	// CanComplain: the supplier bid, and the award is in its standstill.
	CanComplain bool
	Answerable  bool // always false: only the buyer answers
}

func (s *Site) tenderPage(c *Ctx) { s.renderTender(c, http.StatusOK, NewForm()) }

// renderTender draws a tender's public page; its buyer is sent to their own page of it.
func (s *Site) renderTender(c *Ctx, status int, f *Form) {
	t, ok := s.readTender(c)
	if !ok {
		return
	}
	if c.ownsTender(t) {
		c.Redirect(buyerLink(t.ID))
		return
	}
	if t.Status == "draft" {
		s.notFound(c)
		return
	}
	d, err := s.publicTenderData(c, t)
	if err != nil {
		c.apiFail(err)
		return
	}
	c.RenderStatus(status, "tender-public", "tender.public.title", f, d)
}

func (s *Site) publicTenderData(c *Ctx, t gatewayapi.Tender) (publicTenderData, error) {
	ctx, token := c.R.Context(), c.Data.AccessToken
	now := s.now()
	d := publicTenderData{T: c.tenderView(t, publicLink(t.ID)), Supplier: c.Data.HasRole(roleSupplier)}
	qs, err := s.api.Questions(ctx, token, t.ID)
	if err != nil {
		return d, err
	}
	d.Questions = c.questionViews(qs)
	d.CanAsk = d.Supplier && t.Status == "active" && now.Before(t.EnquiryEnd)
	d.CanBid = d.Supplier && t.Status == "active" && now.Before(t.TenderEnd)
	if d.Supplier {
		if b, ok, err := s.ownBid(c, t.ID); err != nil {
			return d, err
		} else if ok {
			v := c.bidView(b, t.Currency)
			d.Bid = &v
		}
	}
	if afterOpening(t.Status) && t.Status != "evaluation" {
		awards, err := s.api.Awards(ctx, token, t.ID)
		if err != nil {
			return d, err
		}
		if len(awards) > 0 {
			a := c.awardView(awards[len(awards)-1])
			d.Award = &a
			d.CanComplain = d.Bid != nil && a.Status == "standstill"
		}
	}
	return d, nil
}

// ownBid is the signed-in supplier's bid on a tender (the API lists only theirs), withdrawn ones aside.
func (s *Site) ownBid(c *Ctx, tenderID string) (gatewayapi.Bid, bool, error) {
	bids, err := s.api.Bids(c.R.Context(), c.Data.AccessToken, tenderID)
	if err != nil {
		return gatewayapi.Bid{}, false, err
	}
	for _, b := range bids {
		if b.Status != "withdrawn" {
			return b, true, nil
		}
	}
	return gatewayapi.Bid{}, false, nil
}

// askQuestion sends a supplier's question on the tender.
func (s *Site) askQuestion(c *Ctx) {
	f := FormFrom(c.R.PostForm, "question")
	if f.Value("question") == "" {
		f.Fail("question", c.Loc.T("tender.question.required"))
		s.renderTender(c, http.StatusUnprocessableEntity, f)
		return
	}
	id := c.R.PathValue("id")
	if _, err := s.api.AskQuestion(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), id, f.Value("question")); err != nil {
		questionFields.apply(c, f, err)
		s.renderTender(c, http.StatusUnprocessableEntity, f)
		return
	}
	c.Flash("flash.question_asked")
	c.Redirect(publicLink(id) + "#questions")
}

// questionFields puts procurement's refusals of a question next to its field.
var questionFields = fieldMap{prefix: "tender", fields: map[string]string{"text": "question"},
	reasons: map[string]reasonError{"PERIOD_ENDED": {"question", "tender.question.period_ended"}}}
