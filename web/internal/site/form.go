package site

import (
	"net/url"
	"strings"
)

// Form is a form as the person filled it in: what they typed (kept when the form comes back with errors)
// and the errors by field, in the order the error summary lists them.
type Form struct {
	values map[string]string
	errors map[string]string
	order  []string
	// Problem is a message about the whole form (the service is unavailable, say), shown in the summary.
	Problem string
}

// NewForm is an empty form.
func NewForm() *Form { return &Form{values: map[string]string{}, errors: map[string]string{}} }

// FormFrom is the posted values of fields (trimmed of surrounding spaces, except passwords).
func FormFrom(values url.Values, fields ...string) *Form {
	f := NewForm()
	for _, name := range fields {
		v := values.Get(name)
		if !strings.Contains(name, "password") {
			v = strings.TrimSpace(v)
		}
		f.values[name] = v
	}
	return f
}

// Set sets a field's value.
func (f *Form) Set(name, value string) *Form {
	f.values[name] = value
	return f
}

// Value is what the field holds.
func (f *Form) Value(name string) string { return f.values[name] }

// Fail records msg (already in the page's language) as the field's error; the first error of a field wins.
func (f *Form) Fail(field, msg string) {
	if _, ok := f.errors[field]; ok {
		return
	}
	f.errors[field] = msg
	f.order = append(f.order, field)
}

// Error is the field's error ("" when none).
func (f *Form) Error(field string) string { return f.errors[field] }

// HasErrors reports whether the form has any error.
func (f *Form) HasErrors() bool { return len(f.errors) > 0 || f.Problem != "" }

// FieldError is one line of the error summary: its text links to the field.
type FieldError struct{ Field, Message string }

// Errors are the field errors in order.
func (f *Form) Errors() []FieldError {
	out := make([]FieldError, 0, len(f.order))
	for _, field := range f.order {
		out = append(out, FieldError{Field: field, Message: f.errors[field]})
	}
	return out
}

// Anchor is the id of the element the summary links to for a field: its input, or a date's day box, or a
// radio group's first option.
func Anchor(field string) string {
	return "f-" + field
}
