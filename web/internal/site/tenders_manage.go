package site

import (
	"context"
	"net/http"
	"slices"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The buyer's page of one tender: what is on it depends on where the tender is — a draft to change and
// publish; questions to answer while it is open, with the bids sealed; after the deadline the opened bids,
// the declaration of interest, the scores, the evaluation's audit trail and the Workflow steps waiting for
// the buyer; then the award with its complaints, the contract, and each milestone's delivery and payment.

// procurementProcess is the BPMN process id procurement runs in Workflow, its instances keyed by tender id.
const procurementProcess = "procurement"

// buyerTenderData is the data of the buyer's tender page.
type buyerTenderData struct {
	T          tenderView
	Questions  []questionView
	Bids       []bidView
	Sealed     bool
	Declared   bool
	Scored     map[string]bool // bids the buyer has scored
	Tasks      []taskView
	Audit      []auditView
	Award      *awardView
	Contract   *contractView
	CanAward   bool // the award's standstill is over and no contract is signed yet
	Answerable bool // the buyer answers the questions here
	Decisions  []Option
	Conflicted []Option
}

// taskView is a Workflow user task of the tender waiting for the buyer.
type taskView struct {
	gatewayapi.UserTask
	Committee bool // the contracts committee's step: approve or return to the panel
	Created   string
}

type auditView struct {
	gatewayapi.AuditEntry
	ActionText, At string
}

func (s *Site) buyerTenderPage(c *Ctx) { s.renderBuyerTender(c, http.StatusOK, NewForm()) }

// renderBuyerTender draws the buyer's tender page; f carries the errors of the page's forms (their fields
// have different names, so one summary serves them all).
func (s *Site) renderBuyerTender(c *Ctx, status int, f *Form) {
	t, ok := s.buyersTender(c)
	if !ok {
		return
	}
	d, err := s.buyerTenderData(c, t)
	if err != nil {
		c.apiFail(err)
		return
	}
	c.RenderStatus(status, "tender-buyer", "tender.buyer.title", f, d)
}

// afterOpening reports whether a tender's bids have been opened.
func afterOpening(status string) bool {
	return slices.Contains([]string{"evaluation", "awarded", "contracted", "complete"}, status)
}

func (s *Site) buyerTenderData(c *Ctx, t gatewayapi.Tender) (buyerTenderData, error) {
	ctx, token := c.R.Context(), c.Data.AccessToken
	d := buyerTenderData{T: c.tenderView(t, buyerLink(t.ID)), Answerable: true, Scored: map[string]bool{},
		Decisions:  []Option{{Value: "approve", Text: c.Loc.T("tender.task.approve")}, {Value: "return", Text: c.Loc.T("tender.task.return")}},
		Conflicted: []Option{{Value: "no", Text: c.Loc.T("tender.declaration.no")}, {Value: "yes", Text: c.Loc.T("tender.declaration.yes")}}}
	if t.Status == "draft" {
		return d, nil
	}
	qs, err := s.api.Questions(ctx, token, t.ID)
	if err != nil {
		return d, err
	}
	d.Questions = c.questionViews(qs)
	bids, err := s.api.Bids(ctx, token, t.ID)
	if err != nil {
		return d, err
	}
	d.Sealed = !afterOpening(t.Status)
	for _, b := range bids {
		d.Bids = append(d.Bids, c.bidView(b, t.Currency))
	}
	if !d.Sealed {
		if err := s.evaluationData(c, t, &d); err != nil {
			return d, err
		}
	}
	return d, s.awardData(c, t, &d)
}

// evaluationData adds the ranking, the audit trail, the buyer's declaration and scores and the open steps.
func (s *Site) evaluationData(c *Ctx, t gatewayapi.Tender, d *buyerTenderData) error {
	ev, err := s.api.Evaluation(c.R.Context(), c.Data.AccessToken, t.ID)
	if err != nil {
		return err
	}
	if len(ev.Bids) > 0 {
		d.Bids = d.Bids[:0]
		for _, b := range ev.Bids {
			d.Bids = append(d.Bids, c.bidView(b, t.Currency))
		}
	}
	for _, sc := range ev.Scores {
		if sc.EvaluatorID == c.Data.Account.ID {
			d.Scored[sc.BidID] = true
		}
	}
	for _, e := range ev.Audit {
		if e.Actor == c.Data.Account.ID && (e.Action == "declared.no_conflict" || e.Action == "declared.conflict") {
			d.Declared = true
		}
		d.Audit = append(d.Audit, auditView{AuditEntry: e, ActionText: c.statusText("audit", e.Action), At: c.when(e.At)})
	}
	if t.Status != "evaluation" {
		return nil
	}
	d.Tasks, err = s.tenderTasks(c.R.Context(), c, t.ID)
	return err
}

// tenderTasks are the open procurement user tasks of the tender's process instance the buyer may do.
func (s *Site) tenderTasks(ctx context.Context, c *Ctx, tenderID string) ([]taskView, error) {
	instances, err := s.api.InstancesOf(ctx, c.Data.AccessToken, procurementProcess, tenderID)
	if err != nil {
		return nil, err
	}
	tasks, err := s.api.UserTasks(ctx, c.Data.AccessToken, procurementProcess)
	if err != nil {
		return nil, err
	}
	var out []taskView
	for _, tk := range tasks {
		for _, in := range instances {
			if tk.ProcessInstanceID == in.ID {
				out = append(out, taskView{UserTask: tk, Committee: tk.ElementID == "Task_committee", Created: c.when(tk.CreatedAt)})
			}
		}
	}
	return out, nil
}

// awardData adds the tender's award and contract, once there are.
func (s *Site) awardData(c *Ctx, t gatewayapi.Tender, d *buyerTenderData) error {
	if !slices.Contains([]string{"awarded", "contracted", "complete"}, t.Status) {
		return nil
	}
	awards, err := s.api.Awards(c.R.Context(), c.Data.AccessToken, t.ID)
	if err != nil || len(awards) == 0 {
		return err
	}
	a := c.awardView(awards[len(awards)-1])
	d.Award = &a
	contracts, err := s.api.Contracts(c.R.Context(), c.Data.AccessToken, t.ID)
	if err != nil {
		return err
	}
	if len(contracts) == 0 {
		d.CanAward = a.Status == "active"
		return nil
	}
	cv := s.contractView(c, contracts[0])
	d.Contract = &cv
	return nil
}
