package site

import (
	"net/http"
	"time"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The message-log verification page: the administrator picks a period (whole days, UTC) and the IM walks
// the message and audit logs' hash chains over it (GET /api/v1/msglog/verification: records checked, the
// first broken record, the checkpoints compared). A GET form, so the result has an address and the page works
// without JavaScript.

// maxVerifyDays is the longest period one verification covers (the IM's limit: 31 days).
const maxVerifyDays = 31

// logVerification is the page's data.
type logVerification struct {
	Ran    bool
	Result gatewayapi.LogVerification
	From   string
	To     string
}

func (s *Site) messageLogPage(c *Ctx) {
	q := c.R.URL.Query()
	today := s.now().UTC().Format(time.DateOnly)
	f := NewForm().Set("from", today).Set("to", today)
	if q.Has("from") || q.Has("to") {
		f = FormFrom(q, "from", "to")
	}
	from, to, ok := verifyPeriod(c, f)
	status := http.StatusOK
	if !ok {
		status = http.StatusUnprocessableEntity
	}
	d := logVerification{From: f.Value("from"), To: f.Value("to")}
	if ok && q.Get("run") == "1" {
		res, err := s.api.VerifyLog(c.R.Context(), c.Data.AccessToken, from, to)
		if err != nil {
			msglogFields.apply(c, f, NewProblemOnly(err))
			status = http.StatusServiceUnavailable
		} else {
			d.Ran, d.Result = true, res
		}
	}
	c.RenderStatus(status, "admin-msglog", "admin.msglog.title", f, d)
}

// verifyPeriod reads the form's days: from the start of the first to the end of the last, UTC.
func verifyPeriod(c *Ctx, f *Form) (time.Time, time.Time, bool) {
	from, errFrom := time.Parse(time.DateOnly, f.Value("from"))
	to, errTo := time.Parse(time.DateOnly, f.Value("to"))
	if errFrom != nil {
		f.Fail("from", c.Loc.T("admin.msglog.from.invalid"))
	}
	if errTo != nil {
		f.Fail("to", c.Loc.T("admin.msglog.to.invalid"))
	}
	if f.HasErrors() {
		return from, to, false
	}
	to = to.AddDate(0, 0, 1)
	switch {
	case !from.Before(to):
		f.Fail("to", c.Loc.T("admin.msglog.to.before_from"))
	case to.Sub(from) > maxVerifyDays*24*time.Hour:
		f.Fail("to", c.Loc.T("admin.msglog.to.too_long"))
	}
	return from, to, !f.HasErrors()
}

// msglogFields: the IM names no field of this form; its refusals become the form's problem.
var msglogFields = fieldMap{prefix: "admin.msglog", fields: map[string]string{}}
