package site

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// Payments to authorise: the administrator (an approver to Payments) authorises the batch of each
// delivered milestone. Payments has no list of batches, so the page finds them where they come from —
// the delivered milestones of procurement's contracts — and shows those Payments has validated. Payments
// keeps these batches under procurement's IM member (GOVSTACK/GOV/GOVSTACK), which is also the portal's:
// the portal reads and authorises them with the administrator's token.

// procurementPayer is the funding account procurement pays milestones from (GOVSTACK_PROCUREMENT_PAYER's
// default): an authorisation names it.
const procurementPayer = "TREASURY"

// awaitingStatuses are the batch states an approver acts on.
var awaitingStatuses = []string{"VALIDATED", "AWAITING_APPROVAL"}

// batchRow is one payment awaiting authorisation.
type batchRow struct {
	Batch                  gatewayapi.Batch
	Tender, Milestone      string
	Amount, StatusText, ID string
	Approvals              string
}

func (s *Site) paymentsPage(c *Ctx) { s.renderPayments(c, http.StatusOK, NewForm()) }

// renderPayments draws the batches awaiting authorisation; f.Problem says why the last one was not.
func (s *Site) renderPayments(c *Ctx, status int, f *Form) {
	contracts, err := s.api.Contracts(c.R.Context(), c.Data.AccessToken, "")
	if err != nil {
		c.apiFail(err)
		return
	}
	var rows []batchRow
	for _, k := range contracts {
		for _, m := range k.Milestones {
			if m.Status != "delivered" || m.PaymentBatchID == "" {
				continue
			}
			b, err := s.api.Batch(c.R.Context(), c.Data.AccessToken, m.PaymentBatchID)
			if err != nil { // one batch Payments cannot show now does not hide the others
				s.log.Warn("a payment batch's status", "batch", m.PaymentBatchID, "error", err)
				continue
			}
			if !slices.Contains(awaitingStatuses, b.Status) {
				continue
			}
			rows = append(rows, batchRow{Batch: b, Tender: k.TenderID, Milestone: m.Title, Amount: money(b.TotalAmount, b.Currency),
				StatusText: c.statusText("batch", b.Status), ID: url.PathEscape(b.ID),
				Approvals: c.Loc.T("payments.approvals", b.Approvals, b.ApprovalsRequired)})
		}
	}
	c.RenderStatus(status, "payments-authorise", "payments.title", f, map[string]any{"Rows": rows})
}

// authorisePayment authorises a batch's valid total from procurement's funding account.
func (s *Site) authorisePayment(c *Ctx) {
	b, err := s.api.Batch(c.R.Context(), c.Data.AccessToken, c.R.PathValue("batch"))
	if err != nil {
		c.apiFail(err)
		return
	}
	a, err := s.api.AuthorizeBatch(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), b.ID, procurementPayer,
		b.Currency, b.TotalAmount)
	switch {
	case err != nil:
		f := NewForm()
		fieldMap{}.apply(c, f, NewProblemOnly(err))
		s.renderPayments(c, http.StatusUnprocessableEntity, f)
		return
	case a.Authorized == "N":
		f := NewForm()
		f.Problem = c.Loc.T("payments.refused")
		s.renderPayments(c, http.StatusUnprocessableEntity, f)
		return
	case a.Authorized == "Y":
		c.Flash("flash.payment_authorised", money(b.TotalAmount, b.Currency))
	default:
		c.Flash("flash.payment_second_approver")
	}
	c.Redirect("/payments")
}
