package site

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The administrator's domain-access requests: buyers whose e-mail domain is not an approved public-sector
// one ask for it (POST /accounts/domain-requests); each request is an application file of Registration's
// domain-access e-service with a review task for the admin role. The administrator lists the files
// (GET /applications), reads one task with the request (GET /tasks/{id}) and approves or refuses it
// (POST /tasks/{id}/complete) — approving adds the domain to the registry and e-mails the buyer a
// registration link; refusing e-mails them the comment.

// requestsPerPage is how many requests one page lists.
const requestsPerPage = 20

// requestRow is one request of the list.
type requestRow struct {
	Received, Email, Description, StatusText, StatusTag, Link string
	Open                                                      bool
}

// domainRequestsPage lists the requests, newest first, twenty to a page (?page=).
func (s *Site) domainRequestsPage(c *Ctx) {
	page, err := strconv.Atoi(c.R.URL.Query().Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	// One more than a page: whether it comes says whether there is a next page.
	items, err := s.api.Applications(c.R.Context(), c.Data.AccessToken, gatewayapi.DomainAccessService,
		(page-1)*requestsPerPage, requestsPerPage+1)
	if err != nil {
		c.apiFail(err)
		return
	}
	more := len(items) > requestsPerPage
	items = items[:min(len(items), requestsPerPage)]
	rows := make([]requestRow, 0, len(items))
	for _, it := range items {
		code := strings.ToUpper(it.Status.Code)
		rows = append(rows, requestRow{Received: c.longDate(it.Created.UTC()), Email: it.ApplicantID,
			Description: it.Description, StatusText: c.Loc.T("request.status." + requestStatus(code)),
			StatusTag: requestTags[requestStatus(code)], Link: "/admin/domain-requests/" + url.PathEscape(it.MainTaskID),
			Open: requestStatus(code) == "pending"})
	}
	c.Render("admin-requests", "admin.requests.title", nil, map[string]any{"Rows": rows,
		"Pagination": prevNext(c, "/admin/domain-requests", page, more)})
}

// requestStatus is a file status as the messages name it.
func requestStatus(code string) string {
	switch code {
	case "APPROVED":
		return "approved"
	case "REJECTED":
		return "rejected"
	case "SENDBACK":
		return "sendback"
	}
	return "pending"
}

var requestTags = map[string]string{"pending": "govuk-tag--blue", "approved": "govuk-tag--green", "rejected": "govuk-tag--red",
	"sendback": "govuk-tag--yellow"}

// prevNext is GOV.UK pagination with only previous and next links (a list whose length is not known).
func prevNext(c *Ctx, base string, page int, more bool) map[string]any {
	if page == 1 && !more {
		return nil
	}
	out := map[string]any{"Label": c.Loc.T("pagination.label"), "PrevText": c.Loc.T("pagination.prev"),
		"NextText": c.Loc.T("pagination.next"), "PageText": c.Loc.T("pagination.page")}
	if page > 1 {
		out["Prev"] = base + "?page=" + strconv.Itoa(page-1)
	}
	if more {
		out["Next"] = base + "?page=" + strconv.Itoa(page+1)
	}
	return out
}

// domainRequest is one request as its page shows it.
type domainRequest struct {
	TaskID                                    string
	Email, Name, Organisation, Domain, Reason string
	StatusText, StatusTag                     string
	Open                                      bool
	Key                                       string
	Decisions                                 []Option
}

func (s *Site) domainRequestDecisionPage(c *Ctx) { s.renderDomainRequest(c, http.StatusOK, NewForm()) }

// renderDomainRequest shows a request and, while it is open, the decision form.
func (s *Site) renderDomainRequest(c *Ctx, status int, f *Form) {
	t, err := s.api.Task(c.R.Context(), c.Data.AccessToken, c.R.PathValue("task"))
	if err != nil {
		c.apiFail(err)
		return
	}
	str := func(k string) string { v, _ := t.Data[k].(string); return v }
	st := requestStatus(strings.ToUpper(t.Status.Code))
	d := domainRequest{TaskID: t.ID, Email: str("email"), Name: str("name"), Organisation: str("organisation"),
		Domain: str("domain"), Reason: str("reason"), StatusText: c.Loc.T("request.status." + st), StatusTag: requestTags[st],
		Open: st == "pending", Key: newIdempotencyKey(),
		Decisions: []Option{{Value: "approve", Text: c.Loc.T("request.decision.approve")},
			{Value: "reject", Text: c.Loc.T("request.decision.reject")}}}
	if d.Domain == "" {
		_, d.Domain, _ = strings.Cut(d.Email, "@")
	}
	c.RenderStatus(status, "admin-request", "admin.request.title", f, d)
}

// decideDomainRequest approves or refuses a request; a refusal needs a comment (it is e-mailed to the
// person who asked).
func (s *Site) decideDomainRequest(c *Ctx) {
	f := FormFrom(c.R.PostForm, "decision", "comment")
	switch f.Value("decision") {
	case "approve", "reject":
	default:
		f.Fail("decision", c.Loc.T("request.decision.required"))
	}
	if f.Value("decision") == "reject" && f.Value("comment") == "" {
		f.Fail("comment", c.Loc.T("request.comment.required"))
	}
	if len([]rune(f.Value("comment"))) > 1000 {
		f.Fail("comment", c.Loc.T("request.comment.too_long"))
	}
	if f.HasErrors() {
		s.renderDomainRequest(c, http.StatusUnprocessableEntity, f)
		return
	}
	task := c.R.PathValue("task")
	err := s.api.CompleteTask(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), task,
		f.Value("decision"), f.Value("comment"))
	if err != nil {
		decisionFields.apply(c, f, err)
		s.renderDomainRequest(c, http.StatusUnprocessableEntity, f)
		return
	}
	c.Flash("flash.request_" + f.Value("decision") + "d")
	c.Redirect("/admin/domain-requests")
}

// decisionFields puts Registration's refusals of a decision next to the fields.
var decisionFields = fieldMap{prefix: "request", fields: map[string]string{"data.decision": "decision", "data.comment": "comment"},
	reasons: map[string]reasonError{
		"TASK_COMPLETED":   {"decision", "request.decision.already"},
		"INVALID_DECISION": {"decision", "request.decision.required"},
	}}
