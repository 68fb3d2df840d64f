package site

import (
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The supplier's bids: submitting one (price, proposal, documents), changing or withdrawing it until the
// deadline, the list of their bids with each one's status, and a complaint against an award during its
// standstill. Procurement keeps references to documents, not files: a file the supplier uploads goes to
// Registration's document store (POST /documents) and the bid refers to it by its id; a document published
// elsewhere is referred to by its https address.

// documentRows is how many rows of published documents the bid form has (an empty row is left out).
const documentRows = 1

func documentField(row int, part string) string { return "doc" + strconv.Itoa(row) + "-" + part }

// bidFormData is the data of the bid form.
type bidFormData struct {
	T    tenderView
	Bid  *bidView
	Rows []int
}

func (s *Site) bidPage(c *Ctx) { s.renderBid(c, http.StatusOK, nil) }

// renderBid draws the bid form: empty for a first bid. A sealed bid's contents are not shown even to its
// supplier (the API answers none before the deadline), so a change is typed afresh.
func (s *Site) renderBid(c *Ctx, status int, f *Form) {
	t, ok := s.readTender(c)
	if !ok {
		return
	}
	b, has, err := s.ownBid(c, t.ID)
	if err != nil {
		c.apiFail(err)
		return
	}
	d := bidFormData{T: c.tenderView(t, publicLink(t.ID)), Rows: make([]int, documentRows)}
	for i := range d.Rows {
		d.Rows[i] = i
	}
	if has {
		v := c.bidView(b, t.Currency)
		d.Bid = &v
	}
	if f == nil {
		f = NewForm()
	}
	title := "bid.new.title"
	if has {
		title = "bid.change.title"
	}
	c.RenderStatus(status, "bid-form", title, f, d)
}

// bidFields are the bid form's fields.
func bidFields() []string {
	out := []string{"price", "proposal"}
	for row := range documentRows {
		out = append(out, documentField(row, "title"), documentField(row, "url"))
	}
	return out
}

// submitBid submits the supplier's bid, or changes the one they have.
func (s *Site) submitBid(c *Ctx) {
	id := c.R.PathValue("id")
	f := FormFrom(c.R.PostForm, bidFields()...)
	in := gatewayapi.BidInput{Price: f.Value("price"), Proposal: f.Value("proposal")}
	m := fieldMap{prefix: "bid", keys: map[string]string{}, fields: map[string]string{"price": "price", "proposal": "proposal"},
		reasons: map[string]reasonError{"PERIOD_ENDED": {"", "bid.period_ended"}, "COMPANY_NOT_ACTIVE": {"", "bid.company_not_active"},
			"WRONG_STATUS": {"", "bid.wrong_status"}, "BID_EXISTS": {"", "bid.exists"}}}
	for row := range documentRows {
		title, addr := f.Value(documentField(row, "title")), f.Value(documentField(row, "url"))
		if title == "" && addr == "" {
			continue
		}
		at := "documents[" + strconv.Itoa(len(in.Documents)) + "]"
		m.fields[at+".title"], m.fields[at+".url"], m.fields[at+".id"] = documentField(row, "title"), documentField(row, "url"), documentField(row, "url")
		m.keys[documentField(row, "title")], m.keys[documentField(row, "url")] = "docTitle", "docUrl"
		// The address names the document where it is kept: it is its id too.
		in.Documents = append(in.Documents, gatewayapi.DocumentRef{ID: addr, Title: title, URL: addr})
	}
	if doc, ok := s.uploadedDocument(c, f); !ok {
		s.renderBid(c, http.StatusUnprocessableEntity, f)
		return
	} else if doc != nil {
		in.Documents = append(in.Documents, *doc)
	}
	b, has, err := s.ownBid(c, id)
	if err == nil {
		if has {
			_, err = s.api.UpdateBid(c.R.Context(), c.Data.AccessToken, id, b.ID, in)
		} else {
			_, err = s.api.SubmitBid(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), id, in)
		}
	}
	if err != nil {
		m.applyProblem(c, f, err)
		s.renderBid(c, http.StatusUnprocessableEntity, f)
		return
	}
	flash := "flash.bid_submitted"
	if has {
		flash = "flash.bid_changed"
	}
	c.Flash(flash)
	c.Redirect(publicLink(id) + "#bid")
}

// maxBidFileBytes is the most of one file the bid form and the tender draft form take (the portal reads at
// most maxUploadBytes of a form; Registration takes up to 5 MiB).
const maxBidFileBytes = 2 << 20

// uploadedDocument stores the form's file (its "file" field: the bid form's, the tender draft form's), when
// there is one, in Registration's document store and returns the reference to it; false when the file was
// refused (said next to the field).
func (s *Site) uploadedDocument(c *Ctx, f *Form) (*gatewayapi.DocumentRef, bool) {
	file, header, err := c.R.FormFile("file")
	if err != nil {
		return nil, true // no file chosen: documents are optional
	}
	defer file.Close()
	content, err := io.ReadAll(io.LimitReader(file, maxBidFileBytes+1))
	if err != nil || len(content) == 0 || len(content) > maxBidFileBytes {
		f.Fail("file", c.Loc.T("bid.file.size"))
		return nil, false
	}
	id, err := s.api.UploadRegistrationDocument(c.R.Context(), c.Data.AccessToken, newIdempotencyKey(), header.Filename, content)
	if err != nil {
		bidFileFields.apply(c, f, err)
		return nil, false
	}
	return &gatewayapi.DocumentRef{ID: id, Title: header.Filename}, true
}

// bidFileFields puts Registration's refusals of an uploaded file next to the form's file field.
var bidFileFields = fieldMap{prefix: "bid", fields: map[string]string{"file[0]": "file"},
	reasons: map[string]reasonError{"UNSUPPORTED_DOCUMENT_TYPE": {"file", "bid.file.type"}, "DOCUMENT_TOO_LARGE": {"file", "bid.file.size"},
		"EMPTY_DOCUMENT": {"file", "bid.file.size"}}}

// withdrawBid withdraws the supplier's bid.
func (s *Site) withdrawBid(c *Ctx) {
	id := c.R.PathValue("id")
	b, has, err := s.ownBid(c, id)
	if err == nil && !has {
		err = &gatewayapi.Error{Status: http.StatusNotFound}
	}
	if err == nil {
		_, err = s.api.WithdrawBid(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), id, b.ID)
	}
	if err != nil {
		f := NewForm()
		fieldMap{reasons: map[string]reasonError{"PERIOD_ENDED": {"", "bid.period_ended"}}}.applyProblem(c, f, err)
		s.renderBid(c, http.StatusUnprocessableEntity, f)
		return
	}
	c.Flash("flash.bid_withdrawn")
	c.Redirect(publicLink(id))
}

// myBid is one row of "Your bids".
type myBid struct {
	T   tenderView
	Bid bidView
}

// myBidsPage lists the supplier's bids, newest first, a page at a time (?before= the last bid of the
// previous page).
func (s *Site) myBidsPage(c *Ctx) {
	before := c.R.URL.Query().Get("before")
	bids, err := s.api.MyBids(c.R.Context(), c.Data.AccessToken, before, bidsPerPage+1)
	if err != nil {
		c.apiFail(err)
		return
	}
	var rows []myBid
	for _, b := range bids[:min(len(bids), bidsPerPage)] {
		t := gatewayapi.Tender{ID: b.Bid.TenderID, Status: b.TenderStatus, BuyerOrganisation: b.BuyerOrganisation,
			TenderEnd: b.TenderEnd}
		t.Title, t.Currency = b.TenderTitle, b.Currency
		rows = append(rows, myBid{T: c.tenderView(t, publicLink(t.ID)), Bid: c.bidView(b.Bid, b.Currency)})
	}
	var next string
	if len(bids) > bidsPerPage {
		next = bids[bidsPerPage-1].Bid.ID
	}
	c.Render("bid-list", "bid.list.title", nil, map[string]any{"Bids": rows,
		"Pagination": keysetPagination(c, "/bids", url.Values{}, before != "", next)})
}

// bidsPerPage is how many bids one page of "Your bids" shows.
const bidsPerPage = 20

// fileComplaint files the supplier's complaint against the tender's award.
func (s *Site) fileComplaint(c *Ctx) {
	id := c.R.PathValue("id")
	f := FormFrom(c.R.PostForm, "complaint")
	if f.Value("complaint") == "" {
		f.Fail("complaint", c.Loc.T("bid.complaint.required"))
		s.renderTender(c, http.StatusUnprocessableEntity, f)
		return
	}
	a, ok := s.latestAward(c, id)
	if !ok {
		return
	}
	if _, err := s.api.FileComplaint(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), a.ID,
		f.Value("complaint")); err != nil {
		fieldMap{prefix: "bid", fields: map[string]string{"text": "complaint"}, keys: map[string]string{"complaint": "complaint"},
			reasons: map[string]reasonError{"STANDSTILL": {"complaint", "bid.complaint.closed"}, "WRONG_STATUS": {"complaint", "bid.complaint.closed"}}}.apply(c, f, err)
		s.renderTender(c, http.StatusUnprocessableEntity, f)
		return
	}
	c.Flash("flash.complaint_filed")
	c.Redirect(publicLink(id) + "#award")
}
