package site

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The buyer's work on an open or opened tender, each a form on the tender's page: answering a question,
// declaring (no) conflict of interest, scoring a bid per criterion with reasons (a page of its own), and
// completing the Workflow steps — the panel's evaluation, the committee's approval (or return to the panel)
// and the legal evaluation.

// answerQuestion answers a supplier's question in public.
func (s *Site) answerQuestion(c *Ctx) {
	qid := c.R.PathValue("question")
	f, text, ok := s.buyerText(c, "answer", qid)
	if !ok {
		return
	}
	_, err := s.api.AnswerQuestion(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), c.R.PathValue("id"), qid, text)
	if err != nil {
		s.buyerTextRefused(c, f, "answer", qid, err)
		return
	}
	c.Flash("flash.question_answered")
	c.Redirect(buyerLink(c.R.PathValue("id")) + "#questions")
}

// declare records the buyer's declaration of (no) conflict of interest before scoring.
func (s *Site) declare(c *Ctx) {
	f := FormFrom(c.R.PostForm, "conflict", "statement")
	if f.Value("conflict") != "yes" && f.Value("conflict") != "no" {
		f.Fail("conflict", c.Loc.T("tender.declaration.conflict.required"))
	}
	if f.Value("statement") == "" {
		f.Fail("statement", c.Loc.T("tender.declaration.statement.required"))
	}
	if f.HasErrors() {
		s.renderBuyerTender(c, http.StatusUnprocessableEntity, f)
		return
	}
	err := s.api.DeclareInterest(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), c.R.PathValue("id"),
		f.Value("conflict") == "yes", f.Value("statement"))
	if err != nil {
		fieldMap{prefix: "tender.declaration", fields: map[string]string{"statement": "statement"}}.apply(c, f, err)
		s.renderBuyerTender(c, http.StatusUnprocessableEntity, f)
		return
	}
	c.Flash("flash.declared")
	c.Redirect(buyerLink(c.R.PathValue("id")) + "#evaluation")
}

// scoreData is the data of the score page.
type scoreData struct {
	T        tenderView
	Bid      bidView
	Criteria []gatewayapi.AwardCriterion
}

// scoreField and reasonField are a criterion's fields on the score page.
func scoreField(criterion string) string  { return "score-" + criterion }
func reasonField(criterion string) string { return "reason-" + criterion }

func (s *Site) scorePage(c *Ctx) { s.renderScore(c, http.StatusOK, NewForm()) }

func (s *Site) renderScore(c *Ctx, status int, f *Form) {
	t, ok := s.buyersTender(c)
	if !ok {
		return
	}
	bids, err := s.api.Bids(c.R.Context(), c.Data.AccessToken, t.ID)
	if err != nil {
		c.apiFail(err)
		return
	}
	for _, b := range bids {
		if b.ID == c.R.PathValue("bid") {
			c.RenderStatus(status, "tender-score", "tender.score.title", f, scoreData{T: c.tenderView(t, buyerLink(t.ID)),
				Bid: c.bidView(b, t.Currency), Criteria: t.AwardCriteria})
			return
		}
	}
	s.notFound(c)
}

// scoreBid sends the buyer's scores of a bid, one per criterion, each with its reason.
func (s *Site) scoreBid(c *Ctx) {
	t, ok := s.buyersTender(c)
	if !ok {
		return
	}
	var names []string
	for _, cr := range t.AwardCriteria {
		names = append(names, scoreField(cr.ID), reasonField(cr.ID))
	}
	f := FormFrom(c.R.PostForm, names...)
	m := fieldMap{prefix: "tender.score", fields: map[string]string{}, keys: map[string]string{},
		reasons: map[string]reasonError{"DECLARATION_REQUIRED": {"", "tender.score.declaration_required"},
			"CONFLICT_OF_INTEREST": {"", "tender.score.conflict"}}}
	var scores []gatewayapi.CriterionScore
	for i, cr := range t.AwardCriteria {
		n, err := strconv.Atoi(f.Value(scoreField(cr.ID)))
		if err != nil || n < 0 || n > 100 {
			f.Fail(scoreField(cr.ID), c.Loc.T("tender.score.score.invalid"))
		}
		if f.Value(reasonField(cr.ID)) == "" {
			f.Fail(reasonField(cr.ID), c.Loc.T("tender.score.reason.required"))
		}
		scores = append(scores, gatewayapi.CriterionScore{CriterionID: cr.ID, Score: n, Reason: f.Value(reasonField(cr.ID))})
		at := "scores[" + strconv.Itoa(i) + "]"
		m.fields[at+".score"], m.fields[at+".reason"] = scoreField(cr.ID), reasonField(cr.ID)
		m.keys[scoreField(cr.ID)], m.keys[reasonField(cr.ID)] = "score", "reason"
	}
	if !f.HasErrors() {
		err := s.api.ScoreBid(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), t.ID, c.R.PathValue("bid"), scores)
		if c.settled(err, f, m, "flash.scored", buyerLink(t.ID)+"#evaluation") {
			return
		}
	}
	s.renderScore(c, http.StatusUnprocessableEntity, f)
}

// applyProblem is apply where a reason with no field of its own ("" in reasons) is a problem of the whole form.
func (m fieldMap) applyProblem(c *Ctx, f *Form, err error) {
	if r, ok := m.reasons[gatewayapi.ReasonOf(err)]; ok && r.field == "" {
		f.Problem = c.Loc.T(r.key)
		return
	}
	m.apply(c, f, err)
}

// completeTask completes a Workflow step of the tender: the committee approves or returns the ranking;
// the other steps are done as they are.
func (s *Site) completeTask(c *Ctx) {
	t, ok := s.buyersTender(c)
	if !ok {
		return
	}
	tasks, err := s.tenderTasks(c.R.Context(), c, t.ID)
	if err != nil {
		c.apiFail(err)
		return
	}
	id := c.R.PathValue("task")
	i := slices.IndexFunc(tasks, func(tk taskView) bool { return tk.ID == id })
	if i < 0 {
		c.Flash("flash.task_gone")
		c.Redirect(buyerLink(t.ID) + "#steps")
		return
	}
	vars := map[string]any{}
	if tasks[i].Committee {
		field := "decision-" + id
		f := FormFrom(c.R.PostForm, field)
		if f.Value(field) != "approve" && f.Value(field) != "return" {
			f.Fail(field, c.Loc.T("tender.task.decision.required"))
			s.renderBuyerTender(c, http.StatusUnprocessableEntity, f)
			return
		}
		vars["approved"] = f.Value(field) == "approve"
	}
	if err := s.api.CompleteUserTask(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), id, vars); err != nil {
		s.buyerProblem(c, err)
		return
	}
	c.Flash("flash.task_done", tasks[i].Name)
	c.Redirect(buyerLink(t.ID) + "#steps")
}

// buyerText reads the text box <name>-<id> of one of the forms on the buyer's tender page (an answer to a
// question, a complaint's resolution); false when it is empty: the page is drawn again saying so.
func (s *Site) buyerText(c *Ctx, name, id string) (*Form, string, bool) {
	field := name + "-" + id
	f := FormFrom(c.R.PostForm, field)
	if f.Value(field) == "" {
		f.Fail(field, c.Loc.T("tender."+name+".required"))
		s.renderBuyerTender(c, http.StatusUnprocessableEntity, f)
		return f, "", false
	}
	return f, f.Value(field), true
}

// buyerTextRefused draws the buyer's tender page again with the API's refusal of the text box <name>-<id>
// next to it (the API calls the field name).
func (s *Site) buyerTextRefused(c *Ctx, f *Form, name, id string, err error) {
	field := name + "-" + id
	fieldMap{prefix: "tender", fields: map[string]string{name: field}, keys: map[string]string{field: name}}.apply(c, f, err)
	s.renderBuyerTender(c, http.StatusUnprocessableEntity, f)
}
