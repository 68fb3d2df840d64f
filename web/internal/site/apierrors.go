package site

import (
	"net/http"
	"strings"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// fieldMap ties a form to the API: which form field each of the API's field names is (citizen.nationalId →
// nationalId), and the message key prefix of the form's errors. A field's error is "<prefix>.<field>.required"
// when the API says it is missing, else "<prefix>.<field>.invalid" — the page's own words, in its language,
// never the API's.
type fieldMap struct {
	prefix string
	fields map[string]string
	// reasons put an error with no field of its own (e.g. DOMAIN_NOT_APPROVED) on a field, with a message key.
	reasons map[string]reasonError
	// keys, when set, name a form field's messages when several fields share them (item0-cpvCode and
	// item1-cpvCode are both "cpvCode").
	keys map[string]string
}

type reasonError struct{ field, key string }

// apply puts err's field violations (and a known reason) on the form, next to their fields. An error that
// names none of the form's fields — the gateway unavailable, a reason the form does not know — becomes a
// problem of the whole form, in the page's words; the API's own message only goes to the log.
func (m fieldMap) apply(c *Ctx, f *Form, err error) {
	e, ok := gatewayapi.As(err)
	if !ok || e.Unavailable() {
		f.Problem = c.Loc.T("error.unavailable")
		if !ok {
			c.site.log.Error("calling the gateway", "error", err)
		}
		return
	}
	if r, ok := m.reasons[e.Reason]; ok {
		f.Fail(r.field, c.Loc.T(r.key))
	}
	for _, v := range e.Violations {
		field, ok := m.fields[v.Field]
		if !ok {
			continue
		}
		key := field
		if k, ok := m.keys[field]; ok {
			key = k
		}
		kind := "invalid"
		if missing(v.Description) {
			kind = "required"
		}
		// A rule the API names (WEAK_PASSWORD's PASSWORD_TOO_SHORT) has its own words when the files have them.
		if rule := m.prefix + "." + key + "." + strings.ToLower(v.Reason); v.Reason != "" && c.Loc.Has(rule) {
			kind = strings.ToLower(v.Reason)
		}
		f.Fail(field, c.Loc.T(m.prefix+"."+key+"."+kind))
	}
	if !f.HasErrors() {
		c.site.log.Warn("an API error the form does not know", "error", err)
		f.Problem = c.Loc.T("error.check_answers")
		if e.Status >= http.StatusInternalServerError {
			f.Problem = c.Loc.T("error.unavailable")
		}
	}
}

// missing reads a violation's description: the BBs say "required", "is required" or "an e-mail address is
// required, …" for a field left empty.
func missing(description string) bool {
	d := strings.ToLower(description)
	return strings.Contains(d, "required") || d == "empty"
}

// fail answers with the error page: a status and a message key (never the error's own words).
func (c *Ctx) fail(status int, key string) {
	c.RenderStatus(status, "error", "error.title", nil, map[string]string{"Message": c.Loc.T(key)})
}

// apiFail answers a page whose reading call failed: 404 for what is not (or not the person's), the
// unavailable page for the rest; the error itself goes to the log.
func (c *Ctx) apiFail(err error) {
	switch gatewayapi.StatusOf(err) {
	case http.StatusNotFound:
		c.fail(http.StatusNotFound, "error.not_found")
	case http.StatusUnauthorized:
		c.Redirect("/sign-in")
	default:
		c.site.log.Warn("a page's API call failed", "route", c.R.Pattern, "error", err)
		c.fail(http.StatusServiceUnavailable, "error.unavailable")
	}
}

func (s *Site) notFound(c *Ctx) { c.fail(http.StatusNotFound, "error.not_found") }

// NewProblemOnly strips err of its field violations, so fieldMap.apply says it for the whole form: for a
// page that has none of the fields.
func NewProblemOnly(err error) error {
	e, ok := gatewayapi.As(err)
	if !ok {
		return err
	}
	c := *e
	c.Violations, c.Reason = nil, ""
	return &c
}

// settled ends a form's POST whose call returned err: on success the flash and the way on (true); else the
// API's refusal goes on the form through m (false: the caller draws the form again).
func (c *Ctx) settled(err error, f *Form, m fieldMap, flash, next string) bool {
	if err != nil {
		m.applyProblem(c, f, err)
		return false
	}
	c.Flash(flash)
	c.Redirect(next)
	return true
}
