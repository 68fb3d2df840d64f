package site

import (
	"net/http"
	"slices"
	"unicode/utf8"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The buyer cancels a tender: at any stage before it is over (procurement refuses a complete, cancelled or
// unsuccessful one). A page of its own confirms it and asks why — the reason is required and is told to
// everyone who bid on the tender or follows it — and the tender's page then shows it cancelled, with the
// reason.

// cancellable reports whether a tender in status may still be cancelled.
func cancellable(status string) bool {
	return !slices.Contains([]string{"complete", "cancelled", "unsuccessful"}, status)
}

// maxCancelReason is the most characters of a reason procurement takes.
const maxCancelReason = 2000

// cancelFields puts procurement's refusals of a cancellation next to the reason: the reason itself, or the
// tender gone past cancelling since the page was drawn.
var cancelFields = fieldMap{prefix: "tender.cancel", fields: map[string]string{"reason": "reason"},
	reasons: map[string]reasonError{"WRONG_STATUS": {"reason", "tender.cancel.wrong_status"}}}

// cancelTenderPage asks the buyer why they cancel the tender.
func (s *Site) cancelTenderPage(c *Ctx) {
	if t, ok := s.buyersCancellable(c); ok {
		s.renderCancelTender(c, http.StatusOK, NewForm(), t)
	}
}

func (s *Site) renderCancelTender(c *Ctx, status int, f *Form, t gatewayapi.Tender) {
	c.RenderStatus(status, "tender-cancel", "tender.cancel.title", f, map[string]any{"T": c.tenderView(t, buyerLink(t.ID))})
}

// buyersCancellable is the buyer's tender of the path when it may still be cancelled; one that may not
// goes back to its page, which says so.
func (s *Site) buyersCancellable(c *Ctx) (gatewayapi.Tender, bool) {
	return s.buyersTenderIf(c, cancellable, "flash.tender_not_cancellable")
}

// cancelTender cancels the tender with the buyer's reason; without one, or refused, the page comes back
// with the error next to the reason and what was typed.
func (s *Site) cancelTender(c *Ctx) {
	t, ok := s.buyersCancellable(c)
	if !ok {
		return
	}
	f := FormFrom(c.R.PostForm, "reason")
	switch reason := f.Value("reason"); {
	case reason == "":
		f.Fail("reason", c.Loc.T("tender.cancel.reason.required"))
	case utf8.RuneCountInString(reason) > maxCancelReason:
		f.Fail("reason", c.Loc.T("tender.cancel.reason.invalid"))
	}
	if f.HasErrors() {
		s.renderCancelTender(c, http.StatusUnprocessableEntity, f, t)
		return
	}
	if _, err := s.api.CancelTender(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), t.ID,
		f.Value("reason")); err != nil {
		cancelFields.apply(c, f, err)
		s.renderCancelTender(c, http.StatusUnprocessableEntity, f, t)
		return
	}
	c.Flash("flash.tender_cancelled", t.Title)
	c.Redirect(buyerLink(t.ID))
}
