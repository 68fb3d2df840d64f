package site

import (
	"net/http"
	"strconv"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// After the award: the buyer resolves complaints (the standstill ends only when none is open), signs the
// contract once the standstill is over (its period, the payee, the milestones that sum to the awarded
// value), confirms each milestone's delivery — which instructs its payment to Payments — and sees each
// payment's batch until it is paid.

// milestoneRows is how many milestone rows the contract form has (an empty row is left out).
const milestoneRows = 3

// contractView is a contract with its milestones' payments.
type contractView struct {
	gatewayapi.Contract
	StatusText, StatusTag, Value, Period, Signed string
	Milestones                                   []milestoneView
}

// milestoneView is a milestone and the state of its payment at Payments.
type milestoneView struct {
	gatewayapi.Milestone
	StatusText, StatusTag, Amount, Delivered, Paid, BatchStatus string
}

func (s *Site) contractView(c *Ctx, k gatewayapi.Contract) contractView {
	v := contractView{Contract: k, StatusText: c.statusText("contract", k.Status), StatusTag: statusTag(k.Status),
		Value: money(k.Value, k.Currency), Period: c.longDate(k.PeriodStart.UTC()) + " – " + c.longDate(k.PeriodEnd.UTC()),
		Signed: c.when(k.SignedAt)}
	for _, m := range k.Milestones {
		mv := milestoneView{Milestone: m, StatusText: c.statusText("milestone", m.Status), StatusTag: statusTag(m.Status),
			Amount: money(m.Amount, k.Currency), Delivered: c.when(m.DeliveredAt), Paid: c.when(m.PaidAt)}
		if m.PaymentBatchID != "" && m.Status != "paid" {
			mv.BatchStatus = s.batchStatus(c, m.PaymentBatchID)
		}
		v.Milestones = append(v.Milestones, mv)
	}
	return v
}

// batchStatus is a payment batch's state in the page's words; "" when Payments cannot say now (the
// milestone's own status still shows).
func (s *Site) batchStatus(c *Ctx, batchID string) string {
	b, err := s.api.Batch(c.R.Context(), c.Data.AccessToken, batchID)
	if err != nil {
		s.log.Info("a payment batch's status", "error", err)
		return ""
	}
	return c.statusText("batch", b.Status)
}

// resolveComplaint resolves a complaint against the tender's award.
func (s *Site) resolveComplaint(c *Ctx) {
	t, ok := s.buyersTender(c)
	if !ok {
		return
	}
	id := c.R.PathValue("complaint")
	f, text, ok := s.buyerText(c, "resolution", id)
	if !ok {
		return
	}
	a, ok := s.latestAward(c, t.ID)
	if !ok {
		return
	}
	if _, err := s.api.ResolveComplaint(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), a.ID, id, text); err != nil {
		s.buyerTextRefused(c, f, "resolution", id, err)
		return
	}
	c.Flash("flash.complaint_resolved")
	c.Redirect(buyerLink(t.ID) + "#award")
}

// contractData is the data of the contract form.
type contractData struct {
	T     tenderView
	Award awardView
	Rows  []int
}

func milestoneField(row int, part string) string { return "milestone" + strconv.Itoa(row) + "-" + part }

func (s *Site) contractPage(c *Ctx) {
	s.renderContract(c, http.StatusOK, NewForm().Set("payeeKey", "msisdn"))
}

// tenderAward is the buyer's tender of the path and its award, or the page answers itself.
func (s *Site) tenderAward(c *Ctx) (gatewayapi.Tender, gatewayapi.Award, bool) {
	t, ok := s.buyersTender(c)
	if !ok {
		return t, gatewayapi.Award{}, false
	}
	a, ok := s.latestAward(c, t.ID)
	return t, a, ok
}

// latestAward is a tender's award (the last one, should an earlier have been cancelled), or the page
// answers itself: 404 when there is none.
func (s *Site) latestAward(c *Ctx, tenderID string) (gatewayapi.Award, bool) {
	awards, err := s.api.Awards(c.R.Context(), c.Data.AccessToken, tenderID)
	if err == nil && len(awards) == 0 {
		err = &gatewayapi.Error{Status: http.StatusNotFound}
	}
	if err != nil {
		c.apiFail(err)
		return gatewayapi.Award{}, false
	}
	return awards[len(awards)-1], true
}

func (s *Site) renderContract(c *Ctx, status int, f *Form) {
	t, a, ok := s.tenderAward(c)
	if !ok {
		return
	}
	rows := make([]int, milestoneRows)
	for i := range rows {
		rows[i] = i
	}
	c.RenderStatus(status, "tender-contract", "tender.contract.title", f, contractData{T: c.tenderView(t, buyerLink(t.ID)),
		Award: c.awardView(a), Rows: rows})
}

// contractFields are the contract form's fields.
func contractFields() []string {
	out := []string{"periodStart-day", "periodStart-month", "periodStart-year", "periodEnd-day", "periodEnd-month", "periodEnd-year",
		"payeeKey", "payeeValue"}
	for row := range milestoneRows {
		out = append(out, milestoneField(row, "title"), milestoneField(row, "amount"))
	}
	return out
}

// signContract signs the contract of the tender's award.
func (s *Site) signContract(c *Ctx) {
	t, a, ok := s.tenderAward(c)
	if !ok {
		return
	}
	f := FormFrom(c.R.PostForm, contractFields()...)
	in := gatewayapi.ContractInput{PayeeKey: f.Value("payeeKey"), PayeeValue: f.Value("payeeValue")}
	for _, name := range []string{"periodStart", "periodEnd"} {
		d, ok := dateOf(f, name)
		if !ok {
			f.Fail(name, c.Loc.T("tender.contract."+name+".invalid"))
		}
		if name == "periodStart" {
			in.PeriodStart = d
		} else {
			in.PeriodEnd = d
		}
	}
	m := contractFieldMap()
	for row := range milestoneRows {
		title, amount := f.Value(milestoneField(row, "title")), f.Value(milestoneField(row, "amount"))
		if title == "" && amount == "" {
			continue
		}
		at := "milestones[" + strconv.Itoa(len(in.Milestones)) + "]"
		m.fields[at+".title"], m.fields[at+".amount"] = milestoneField(row, "title"), milestoneField(row, "amount")
		m.keys[milestoneField(row, "title")], m.keys[milestoneField(row, "amount")] = "title", "amount"
		in.Milestones = append(in.Milestones, gatewayapi.MilestoneInput{Title: title, Amount: amount})
	}
	if len(in.Milestones) == 0 {
		f.Fail("milestones", c.Loc.T("tender.contract.milestones.required"))
	}
	if !f.HasErrors() {
		_, err := s.api.SignContract(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), a.ID, in)
		if c.settled(err, f, m, "flash.contract_signed", buyerLink(t.ID)+"#contract") {
			return
		}
	}
	s.renderContract(c, http.StatusUnprocessableEntity, f)
}

// contractFieldMap puts the API's refusals of a contract next to the form's fields; the rows' milestones
// are added as they are sent. "milestones" (none, or their sum not the awarded value) is said above the
// milestones, at f-milestones.
func contractFieldMap() fieldMap {
	return fieldMap{prefix: "tender.contract", keys: map[string]string{}, fields: map[string]string{"periodEnd": "periodEnd",
		"periodStart": "periodStart", "milestones": "milestones", "payeeKey": "payeeKey", "payeeValue": "payeeValue"},
		reasons: map[string]reasonError{"STANDSTILL": {"", "tender.contract.standstill"}}}
}

// confirmDelivery confirms a milestone of the tender's contract delivered.
func (s *Site) confirmDelivery(c *Ctx) {
	t, ok := s.buyersTender(c)
	if !ok {
		return
	}
	contracts, err := s.api.Contracts(c.R.Context(), c.Data.AccessToken, t.ID)
	if err == nil && len(contracts) == 0 {
		err = &gatewayapi.Error{Status: http.StatusNotFound}
	}
	if err != nil {
		c.apiFail(err)
		return
	}
	if _, err := s.api.ConfirmDelivery(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), contracts[0].ID,
		c.R.PathValue("milestone")); err != nil {
		s.buyerProblem(c, err)
		return
	}
	c.Flash("flash.delivered")
	c.Redirect(buyerLink(t.ID) + "#contract")
}

// buyerProblem shows the buyer's tender page again with err as a problem of the page, in its words: for a
// button that has no field of its own.
func (s *Site) buyerProblem(c *Ctx, err error) {
	f := NewForm()
	fieldMap{}.apply(c, f, NewProblemOnly(err))
	s.renderBuyerTender(c, http.StatusUnprocessableEntity, f)
}
