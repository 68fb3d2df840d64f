package site

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// Documents of tenders and bids: a buyer uploads a tender's documents on the draft form, a supplier a bid's
// with the bid, and both are kept in Registration's document store, which lets only their uploader read
// them. Procurement serves them to whoever may read them as part of the tender (anyone once it is published)
// or of the opened bid (the buyer's organisation and the bidder), so the portal links an uploaded document —
// one without its own https URL — to the routes below, which stream it through the gateway with the
// signed-in person's token, or none for an anonymous reader of a published tender.

// docLink is a document as a page links it: at its own URL, or at the portal's route that streams it.
type docLink struct {
	Title, Href string
	// External is a URL elsewhere, opened without a referrer.
	External bool
}

// documentLinks links docs, the uploaded ones under base (a tender's or a bid's path).
func documentLinks(docs []gatewayapi.DocumentRef, base string) []docLink {
	out := make([]docLink, 0, len(docs))
	for _, d := range docs {
		if d.URL != "" {
			out = append(out, docLink{Title: d.Title, Href: d.URL, External: true})
			continue
		}
		out = append(out, docLink{Title: d.Title, Href: base + "/documents/" + url.PathEscape(d.ID)})
	}
	return out
}

// tenderDocument streams the tender's document {doc}.
func (s *Site) tenderDocument(c *Ctx) {
	t, err := s.api.Tender(c.R.Context(), c.Data.AccessToken, c.R.PathValue("id"))
	if err != nil {
		c.apiFail(err)
		return
	}
	s.sendListed(c, t.Documents, func(id string) (gatewayapi.Download, error) {
		return s.api.TenderDocument(c.R.Context(), c.Data.AccessToken, t.ID, id)
	})
}

// bidDocument streams the document {doc} of the bid {bid}, as the tender's bids list it for this person.
func (s *Site) bidDocument(c *Ctx) {
	tenderID, bidID := c.R.PathValue("id"), c.R.PathValue("bid")
	bids, err := s.api.Bids(c.R.Context(), c.Data.AccessToken, tenderID)
	if err != nil {
		c.apiFail(err)
		return
	}
	for _, b := range bids {
		if b.ID == bidID {
			s.sendListed(c, b.Documents, func(id string) (gatewayapi.Download, error) {
				return s.api.BidDocument(c.R.Context(), c.Data.AccessToken, tenderID, bidID, id)
			})
			return
		}
	}
	s.notFound(c)
}

// sendListed streams the uploaded document {doc} of docs, fetched by fetch and named by its title; a
// document docs do not list (or one at its own URL) is not found.
func (s *Site) sendListed(c *Ctx, docs []gatewayapi.DocumentRef, fetch func(id string) (gatewayapi.Download, error)) {
	id := c.R.PathValue("doc")
	for _, d := range docs {
		if d.ID != id || d.URL != "" {
			continue
		}
		got, err := fetch(id)
		switch {
		case err == nil:
		case gatewayapi.StatusOf(err) == http.StatusForbidden || gatewayapi.StatusOf(err) == http.StatusBadRequest:
			// Another organisation's bid, or one still sealed: the pages never link to either, so there is
			// nothing here for this person.
			s.notFound(c)
			return
		default:
			c.apiFail(err)
			return
		}
		sendFile(c, fileName(d.Title, got.ContentType), got)
		return
	}
	s.notFound(c)
}

// fileName is the name a download is saved under: its title, with the extension of its type.
func fileName(title, contentType string) string {
	ext := map[string]string{"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}[documentType(contentType)]
	if ext == "" || strings.HasSuffix(strings.ToLower(title), ext) {
		return title
	}
	return title + ext
}
