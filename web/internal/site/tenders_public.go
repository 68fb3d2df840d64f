package site

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The public side of tenders: open tenders to browse and search by text or CPV code (anyone may read
// them), a tender's page with its documents and the questions answered in public, and — for a signed-in
// supplier — asking a question, their bid and the award.

// openTendersPage lists the tenders open for bids, searched by ?q= (words of the title or description, and
// a CPV code such as 32420000), twenty to a page: the API searches and pages (?before= the last tender of
// the previous page), so tenders published meanwhile never shift a page.
func (s *Site) openTendersPage(c *Ctx) {
	q := strings.TrimSpace(c.R.URL.Query().Get("q"))
	words, cpv := searchTerms(q)
	f := NewForm().Set("q", q)
	ts, err := s.api.SearchTenders(c.R.Context(), c.Data.AccessToken, gatewayapi.TenderQuery{Status: "active", Q: words,
		CPV: cpv, Before: c.R.URL.Query().Get("before"), Limit: tendersPerPage + 1})
	var apiErr *gatewayapi.Error
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest {
		f.Fail("q", c.Loc.T("tender.list.search_invalid"))
		c.RenderStatus(http.StatusBadRequest, "tender-list", "tender.list.title", f, tenderList{Query: q})
		return
	}
	if err != nil {
		c.apiFail(err)
		return
	}
	c.Render("tender-list", "tender.list.title", f,
		tendersPage(c, ts, "/tenders", url.Values{"q": {q}}, c.R.URL.Query().Get("before") != "", publicLink))
}

// cpvTerm is a CPV code as a person types it: eight digits, with or without its check digit. Shorter
// numbers ("2027", a reference) are words.
var cpvTerm = regexp.MustCompile(`^(\d{8})(-\d)?$`)

// searchTerms splits what was typed into the search box into words and a CPV code (the first one typed),
// given to the API as the prefix it stands for: a code's trailing zeros mark its level in the CPV tree, so
// 32420000 (network equipment) finds 32420000 and every code below it, 32421000 and on.
func searchTerms(q string) (words, cpv string) {
	var rest []string
	for _, w := range strings.Fields(q) {
		if m := cpvTerm.FindStringSubmatch(w); cpv == "" && m != nil {
			cpv = strings.TrimRight(m[1], "0")
			if len(cpv) < 2 {
				cpv = m[1][:2]
			}
			continue
		}
		rest = append(rest, w)
	}
	return strings.Join(rest, " "), cpv
}

// keysetPagination links the next page (starting after the id next, when there is one) and, past the
// first page, back to the first: an API that pages by keys knows no page numbers.
func keysetPagination(c *Ctx, base string, filter url.Values, later bool, next string) map[string]any {
	if !later && next == "" {
		return nil
	}
	for k, v := range filter {
		if len(v) == 0 || v[0] == "" {
			filter.Del(k)
		}
	}
	link := func(before string) string {
		v := url.Values{}
		for k, vs := range filter {
			v[k] = vs
		}
		if before != "" {
			v.Set("before", before)
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	}
	out := map[string]any{"Label": c.Loc.T("pagination.label"), "PrevText": c.Loc.T("pagination.first"),
		"NextText": c.Loc.T("pagination.next")}
	if later {
		out["Prev"] = link("")
	}
	if next != "" {
		out["Next"] = link(next)
	}
	return out
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
