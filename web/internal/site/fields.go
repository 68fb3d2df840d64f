package site

import (
	"strings"
)

// FieldView is what a form partial draws for one field: its id, name, label, hint, value and error, and the
// input's attributes.
type FieldView struct {
	ID, Name, Label, Hint, Value, Error  string
	Type, Autocomplete, Width, InputMode string
	// Items are the options of a radio group.
	Items      []Option
	Spellcheck bool
}

// Option is one radio button.
type Option struct {
	Value, Text, Hint string
	Checked           bool
}

// Field describes the form field name for a template. opts are "type=email", "autocomplete=email",
// "hint=<message key>", "width=20" (a GOV.UK input width), "inputmode=numeric", "spellcheck".
func (v *View) Field(name, labelKey string, opts ...string) FieldView {
	f := FieldView{ID: Anchor(name), Name: name, Label: v.T(labelKey), Type: "text", Value: v.Form.Value(name),
		Error: v.Form.Error(name)}
	for _, o := range opts {
		k, val, _ := strings.Cut(o, "=")
		switch k {
		case "type":
			f.Type = val
		case "autocomplete":
			f.Autocomplete = val
		case "hint":
			f.Hint = v.T(val)
		case "width":
			f.Width = val
		case "inputmode":
			f.InputMode = val
		case "spellcheck":
			f.Spellcheck = true
		}
	}
	return f
}

// Date describes a date field kept as three boxes, <name>-day, -month and -year.
func (v *View) Date(name, labelKey, hintKey string) FieldView {
	f := v.Field(name, labelKey)
	if hintKey != "" {
		f.Hint = v.T(hintKey)
	}
	// The boxes are Items: Value the box's suffix, Text its label, Hint what was typed in it.
	for _, part := range []string{"day", "month", "year"} {
		f.Items = append(f.Items, Option{Value: part, Text: v.T("date." + part), Hint: v.Form.Value(name + "-" + part)})
	}
	return f
}

// Radios describes a radio group with its options.
func (v *View) Radios(name, labelKey string, options []Option) FieldView {
	f := v.Field(name, labelKey)
	for i := range options {
		options[i].Checked = options[i].Value == f.Value && f.Value != ""
	}
	f.Items = options
	return f
}

// ErrorAnchor is where the error summary links for a field: a date's day box, or the field itself (a radio
// group's first option has the field's id).
func (v *View) ErrorAnchor(field string) string {
	if dateFields[field] {
		return Anchor(field) + "-day"
	}
	return Anchor(field)
}

// dateFields are the fields drawn as three date boxes.
var dateFields = map[string]bool{"birthDate": true, "periodStart": true, "periodEnd": true}

// AnswerView is one row of a summary list ("check your answers"): the question, the answer and where to
// change it ("" for an answer that cannot be changed here).
type AnswerView struct {
	Key, Value, Change, ChangeText string
}

// Answer describes a summary list row.
func (v *View) Answer(labelKey, value, change string) AnswerView {
	return AnswerView{Key: v.T(labelKey), Value: value, Change: change, ChangeText: v.T("form.change")}
}
