package domain

import (
	"bytes"
	htmltemplate "html/template"
	"regexp"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Template is one stored version of a named template.
type Template struct {
	Name, Language string
	Channel        Channel
	Version        int
	Subject        string // text/template, e-mail only
	TextBody       string // text/template
	HTMLBody       string // html/template (contextual escaping), e-mail only, optional
	CreatedAt      time.Time
}

// Rendered is a template's output.
type Rendered struct{ Subject, Text, HTML string }

// Check parses every part so that a broken template is refused when it is stored, not when it is used.
func (t Template) Check() error {
	if strings.TrimSpace(t.TextBody) == "" {
		return apierr.Invalid("TEMPLATE_INVALID", "textBody is required", apierr.FieldViolation{Field: "textBody", Description: "is required"})
	}
	for _, p := range []struct{ field, src string }{{"subject", t.Subject}, {"textBody", t.TextBody}} {
		if _, err := texttemplate.New(p.field).Option("missingkey=error").Parse(p.src); err != nil {
			return apierr.Invalid("TEMPLATE_INVALID", p.field+": "+err.Error(), apierr.FieldViolation{Field: p.field, Description: err.Error()})
		}
	}
	if _, err := htmltemplate.New("htmlBody").Option("missingkey=error").Parse(t.HTMLBody); err != nil {
		return apierr.Invalid("TEMPLATE_INVALID", "htmlBody: "+err.Error(), apierr.FieldViolation{Field: "htmlBody", Description: err.Error()})
	}
	return nil
}

// Render fills the template with vars. A variable the template uses but vars lacks is an InvalidArgument
// naming the variable — never an empty string in a message someone receives.
func (t Template) Render(vars map[string]any) (Rendered, error) {
	var r Rendered
	var err error
	if r.Subject, err = renderText("subject", t.Subject, vars); err != nil {
		return r, err
	}
	if r.Text, err = renderText("textBody", t.TextBody, vars); err != nil {
		return r, err
	}
	if t.HTMLBody != "" {
		tpl, perr := htmltemplate.New("htmlBody").Option("missingkey=error").Parse(t.HTMLBody)
		if perr != nil {
			return r, renderError(perr)
		}
		var b bytes.Buffer
		if err := tpl.Execute(&b, vars); err != nil {
			return r, renderError(err)
		}
		r.HTML = b.String()
	}
	return r, nil
}

func renderText(name, src string, vars map[string]any) (string, error) {
	tpl, err := texttemplate.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return "", renderError(err)
	}
	var b bytes.Buffer
	if err := tpl.Execute(&b, vars); err != nil {
		return "", renderError(err)
	}
	return b.String(), nil
}

// missingKey finds the name in text/template's `map has no entry for key "x"`.
var missingKey = regexp.MustCompile(`map has no entry for key "([^"]*)"`)

func renderError(err error) error {
	if m := missingKey.FindStringSubmatch(err.Error()); m != nil {
		msg := "template variable " + m[1] + " is missing"
		return apierr.Invalid("TEMPLATE_VARIABLE_MISSING", msg, apierr.FieldViolation{Field: "variables." + m[1], Description: "is missing"})
	}
	return apierr.Invalid("TEMPLATE_RENDER_FAILED", "template cannot be rendered: "+err.Error())
}
