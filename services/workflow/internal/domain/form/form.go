// Package form checks a user task's completion against its Camunda form (the JSON Camunda's form editor
// saves): every submitted field must be one of the form's, of the field's type, within its rules (required,
// min/max, length, pattern, allowed values). A form is outside input (deployed by an administrator or
// embedded in a BPMN file), so Parse refuses what it cannot read rather than checking nothing.
package form

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// Field is one input of a form.
type Field struct {
	Key       string
	Type      string
	Label     string
	Required  bool
	Min, Max  *float64
	MinLength *int
	MaxLength *int
	Pattern   *regexp.Regexp
	// Values are the allowed values of a select, radio, checklist or taglist with static options.
	Values []any
}

// Form is a parsed form: its input fields by key.
type Form struct {
	ID     string
	Fields map[string]Field
}

// Violation is one problem with submitted data: the field and what is wrong.
type Violation struct {
	Field, Description string
}

// inputTypes are the components that hold a value; the others (text, spacer, image, button, …) only show.
var inputTypes = map[string]bool{
	"textfield": true, "textarea": true, "number": true, "checkbox": true, "checklist": true, "radio": true,
	"select": true, "taglist": true, "datetime": true, "expression": false,
}

// containers hold components of their own.
var containers = map[string]bool{"group": true, "dynamiclist": true, "iframe": false}

// Parse reads a form from the JSON the Camunda form editor saves.
func Parse(data []byte) (*Form, error) {
	var doc struct {
		ID         string            `json:"id"`
		Components []json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("the form is not valid JSON: %v", err)
	}
	f := &Form{ID: doc.ID, Fields: map[string]Field{}}
	if err := f.read(doc.Components, 0); err != nil {
		return nil, err
	}
	return f, nil
}

type component struct {
	Type       string            `json:"type"`
	Key        string            `json:"key"`
	Label      string            `json:"label"`
	Components []json.RawMessage `json:"components"`
	Values     []struct {
		Value any `json:"value"`
	} `json:"values"`
	Validate struct {
		Required  bool     `json:"required"`
		Min       *float64 `json:"min"`
		Max       *float64 `json:"max"`
		MinLength *int     `json:"minLength"`
		MaxLength *int     `json:"maxLength"`
		Pattern   string   `json:"pattern"`
	} `json:"validate"`
}

func (f *Form) read(raw []json.RawMessage, depth int) error {
	if depth > 8 {
		return fmt.Errorf("the form's groups are nested deeper than 8 levels")
	}
	for i, r := range raw {
		var c component
		if err := json.Unmarshal(r, &c); err != nil {
			return fmt.Errorf("component %d of the form is not valid: %v", i, err)
		}
		switch {
		case containers[c.Type]:
			if err := f.read(c.Components, depth+1); err != nil {
				return err
			}
		case inputTypes[c.Type]:
			field, err := fieldOf(c)
			if err != nil {
				return err
			}
			f.Fields[field.Key] = field
		}
	}
	return nil
}

func fieldOf(c component) (Field, error) {
	if c.Key == "" {
		return Field{}, fmt.Errorf("a %s field of the form has no key", c.Type)
	}
	v := c.Validate
	f := Field{Key: c.Key, Type: c.Type, Label: c.Label, Required: v.Required, Min: v.Min, Max: v.Max,
		MinLength: v.MinLength, MaxLength: v.MaxLength}
	if v.Pattern != "" {
		re, err := regexp.Compile("^(?:" + v.Pattern + ")$")
		if err != nil {
			return Field{}, fmt.Errorf("the pattern of field %s is not a valid regular expression: %v", c.Key, err)
		}
		f.Pattern = re
	}
	for _, o := range c.Values {
		f.Values = append(f.Values, o.Value)
	}
	return f, nil
}

// Check returns every problem with the submitted variables, by field key in order.
func (f *Form) Check(vars map[string]any) []Violation {
	var out []Violation
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field, ok := f.Fields[k]
		if !ok {
			out = append(out, Violation{k, "the form has no field " + k})
			continue
		}
		if msg := field.check(vars[k]); msg != "" {
			out = append(out, Violation{k, msg})
		}
	}
	required := make([]string, 0)
	for k, field := range f.Fields {
		if _, ok := vars[k]; field.Required && !ok {
			required = append(required, k)
		}
	}
	sort.Strings(required)
	for _, k := range required {
		out = append(out, Violation{k, "required"})
	}
	return out
}

// check returns what is wrong with v for the field ("" when nothing is).
func (fl Field) check(v any) string {
	if v == nil {
		if fl.Required {
			return "required"
		}
		return ""
	}
	switch fl.Type {
	case "number":
		n, ok := v.(float64)
		if !ok {
			return fmt.Sprintf("must be a number (got %s)", kind(v))
		}
		return fl.bounds(n)
	case "checkbox":
		if _, ok := v.(bool); !ok {
			return fmt.Sprintf("must be true or false (got %s)", kind(v))
		}
	case "checklist", "taglist":
		list, ok := v.([]any)
		if !ok {
			return fmt.Sprintf("must be a list (got %s)", kind(v))
		}
		for _, item := range list {
			if msg := fl.allowed(item); msg != "" {
				return msg
			}
		}
	case "select", "radio":
		return fl.allowed(v)
	case "datetime":
		s, ok := v.(string)
		if !ok || !isDateTime(s) {
			return "must be a date (YYYY-MM-DD), a time or an RFC 3339 date-time"
		}
	default:
		s, ok := v.(string)
		if !ok {
			return fmt.Sprintf("must be text (got %s)", kind(v))
		}
		return fl.text(s)
	}
	return ""
}

func (fl Field) bounds(n float64) string {
	switch {
	case math.IsNaN(n) || math.IsInf(n, 0):
		return "must be a finite number"
	case fl.Min != nil && n < *fl.Min:
		return fmt.Sprintf("must be at least %v", *fl.Min)
	case fl.Max != nil && n > *fl.Max:
		return fmt.Sprintf("must be at most %v", *fl.Max)
	}
	return ""
}

func (fl Field) text(s string) string {
	n := len([]rune(s))
	switch {
	case fl.Required && strings.TrimSpace(s) == "":
		return "required"
	case fl.MinLength != nil && n < *fl.MinLength:
		return fmt.Sprintf("must be at least %d characters", *fl.MinLength)
	case fl.MaxLength != nil && n > *fl.MaxLength:
		return fmt.Sprintf("must be at most %d characters", *fl.MaxLength)
	case fl.Pattern != nil && s != "" && !fl.Pattern.MatchString(s):
		return "does not have the expected form"
	}
	return ""
}

func (fl Field) allowed(v any) string {
	if len(fl.Values) == 0 || slices.Contains(fl.Values, v) {
		return ""
	}
	opts := make([]string, len(fl.Values))
	for i, o := range fl.Values {
		opts[i] = fmt.Sprint(o)
	}
	return "must be one of " + strings.Join(opts, ", ")
}

func isDateTime(s string) bool {
	for _, layout := range []string{time.DateOnly, time.TimeOnly, "15:04", time.RFC3339} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

func kind(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case float64:
		return "a number"
	case bool:
		return "true/false"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
