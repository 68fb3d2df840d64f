package site

import (
	"net/http"
	"net/url"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The buyer's tenders: the list of their organisation's tenders, drafting and changing a draft, and
// publishing it — the API checks the whole tender at publication and names each field it refuses, which
// the draft form shows next to the field.

// tendersPerPage is how many tenders one page of a list shows.
const tendersPerPage = 20

// tenderList is the data of a page listing tenders.
type tenderList struct {
	Tenders    []tenderView
	Query      string
	Pagination map[string]any
}

// myTendersPage lists the buyer's organisation's tenders (drafts included), newest first, a page at a time:
// the API filters by the organisation and pages by key (?before= the last tender of the previous page).
func (s *Site) myTendersPage(c *Ctx) {
	before := c.R.URL.Query().Get("before")
	ts, err := s.api.SearchTenders(c.R.Context(), c.Data.AccessToken, gatewayapi.TenderQuery{
		BuyerOrg: c.Data.Account.Organisation, Before: before, Limit: tendersPerPage + 1})
	if err != nil {
		c.apiFail(err)
		return
	}
	c.Render("tender-mine", "tender.mine.title", nil, tendersPage(c, ts, "/buyer/tenders", url.Values{}, before != "", buyerLink))
}

// tendersPage is one page of a list read with one tender more than a page holds: that one says there is a
// next page, which starts after the page's last tender.
func tendersPage(c *Ctx, ts []gatewayapi.Tender, base string, filter url.Values, later bool, link func(string) string) tenderList {
	d := tenderList{Query: filter.Get("q")}
	for _, t := range ts[:min(len(ts), tendersPerPage)] {
		d.Tenders = append(d.Tenders, c.tenderView(t, link(t.ID)))
	}
	var next string
	if len(ts) > tendersPerPage {
		next = ts[tendersPerPage-1].ID
	}
	d.Pagination = keysetPagination(c, base, filter, later, next)
	return d
}

// draftData is the data of the draft form: its action, its item, lot and document rows.
type draftData struct {
	Action                 string
	Rows, LotRows, DocRows []int
	Tender                 *tenderView
}

func (s *Site) renderDraft(c *Ctx, status int, f *Form, action string, t *tenderView) {
	title := "tender.new.title"
	if t != nil {
		title = "tender.edit.title"
	}
	d := draftData{Action: action, Rows: upTo(itemRows), Tender: t}
	d.LotRows, d.DocRows = formRows(f)
	c.RenderStatus(status, "tender-edit", title, f, d)
}

// newTenderPage is an empty draft form with the usual criteria and periods filled in.
func (s *Site) newTenderPage(c *Ctx) {
	f := NewForm().Set("currency", "EUR").Set("weightPrice", "60").Set("weightQuality", "40").Set("enquiryDays", "5").
		Set("tenderDays", "20").Set("standstillDays", "10").Set(itemField(0, "quantity"), "1")
	s.renderDraft(c, http.StatusOK, setRows(f, 1, 1), "/buyer/tenders/new", nil)
}

// createTender saves a new draft and goes to its page.
func (s *Site) createTender(c *Ctx) {
	f, d, rows, ok := s.postedDraft(c)
	if !ok {
		s.renderDraft(c, formStatus(f), f, "/buyer/tenders/new", nil)
		return
	}
	t, err := s.api.CreateTender(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), d)
	if err != nil {
		draftFieldMap(rows).apply(c, f, err)
		s.renderDraft(c, http.StatusUnprocessableEntity, f, "/buyer/tenders/new", nil)
		return
	}
	c.Flash("flash.tender_saved", t.Title)
	c.Redirect(buyerLink(t.ID))
}

// editTenderPage is the draft form of a saved draft.
func (s *Site) editTenderPage(c *Ctx) {
	t, ok := s.buyersDraft(c)
	if !ok {
		return
	}
	v := c.tenderView(t, buyerLink(t.ID))
	s.renderDraft(c, http.StatusOK, formOfTender(t), v.Link+"/edit", &v)
}

// buyersDraft is the buyer's tender of the path when it is still a draft (a published one cannot change).
func (s *Site) buyersDraft(c *Ctx) (gatewayapi.Tender, bool) {
	return s.buyersTenderIf(c, func(status string) bool { return status == "draft" }, "flash.tender_not_draft")
}

// buyersTenderIf is the buyer's tender of the path when its status allows what the page does; otherwise
// the tender's page, with the flash saying why not.
func (s *Site) buyersTenderIf(c *Ctx, allowed func(status string) bool, flash string) (gatewayapi.Tender, bool) {
	t, ok := s.buyersTender(c)
	if ok && !allowed(t.Status) {
		c.Flash(flash)
		c.Redirect(buyerLink(t.ID))
		return t, false
	}
	return t, ok
}

// updateTender saves the changed draft; with publish=1 it then publishes it.
func (s *Site) updateTender(c *Ctx) {
	t, ok := s.buyersDraft(c)
	if !ok {
		return
	}
	v := c.tenderView(t, buyerLink(t.ID))
	f, d, rows, ok := s.postedDraft(c)
	if !ok {
		s.renderDraft(c, formStatus(f), f, v.Link+"/edit", &v)
		return
	}
	if _, err := s.api.UpdateTender(c.R.Context(), c.Data.AccessToken, t.ID, d); err != nil {
		draftFieldMap(rows).apply(c, f, err)
		s.renderDraft(c, http.StatusUnprocessableEntity, f, v.Link+"/edit", &v)
		return
	}
	if c.R.PostForm.Get("publish") == "" {
		c.Flash("flash.tender_saved", d.Title)
		c.Redirect(v.Link)
		return
	}
	s.publish(c, t, f, rows)
}

// publishTender publishes a saved draft as it is; the API's refusals come back on its draft form.
func (s *Site) publishTender(c *Ctx) {
	t, ok := s.buyersDraft(c)
	if !ok {
		return
	}
	f := formOfTender(t)
	s.publish(c, t, f, draftRows{items: upTo(min(len(t.Items), itemRows)), lots: upTo(len(t.Lots)), docs: upTo(len(t.Documents))})
}

// postedDraft reads the posted draft form: its file stored as one of its documents, then the draft. Not ok
// when the form is to be drawn again — the buyer added a lot or document row, or something typed is
// refused (said on the form).
func (s *Site) postedDraft(c *Ctx) (*Form, gatewayapi.TenderDraft, draftRows, bool) {
	f := draftForm(c.R.PostForm)
	uploaded := s.attachUpload(c, f)
	if addRow(c, f) || !uploaded {
		return f, gatewayapi.TenderDraft{}, draftRows{}, false
	}
	d, rows := draftOf(c, f)
	return f, d, rows, !f.HasErrors()
}

// formStatus is the status of a form drawn again: 422 when it has errors, else 200 (a row added).
func formStatus(f *Form) int {
	if f.HasErrors() {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

// publish publishes t; f is its draft form, which shows what the API refused.
func (s *Site) publish(c *Ctx, t gatewayapi.Tender, f *Form, rows draftRows) {
	published, err := s.api.PublishTender(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), t.ID)
	if err != nil {
		v := c.tenderView(t, buyerLink(t.ID))
		draftFieldMap(rows).apply(c, f, err)
		s.renderDraft(c, http.StatusUnprocessableEntity, f, v.Link+"/edit", &v)
		return
	}
	c.Flash("flash.tender_published", published.Title, c.when(published.TenderEnd))
	c.Redirect(buyerLink(t.ID))
}
