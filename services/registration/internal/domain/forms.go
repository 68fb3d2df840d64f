package domain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// FormDataPointer is where formData.data sits in a submitted application; violations are named from here.
const FormDataPointer = "/formData/data"

var printer = message.NewPrinter(language.English)

// FormValidator checks form data against e-form schemas. Each schema is compiled once and cached by e-form
// id (an e-form version never changes), so it is safe and cheap to share.
type FormValidator struct {
	mu    sync.Mutex
	cache map[string]*jsonschema.Schema
}

// NewFormValidator returns an empty validator.
func NewFormValidator() *FormValidator {
	return &FormValidator{cache: map[string]*jsonschema.Schema{}}
}

// Validate checks data against form's schema: nil, or a 400 INVALID_FORM_DATA with one field violation per
// failed rule, each naming the JSON pointer of the bad value (e.g. /formData/data/email).
func (v *FormValidator) Validate(form EForm, data map[string]any) error {
	sch, err := v.compiled(form)
	if err != nil {
		return err
	}
	if data == nil {
		data = map[string]any{}
	}
	err = sch.Validate(data)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return fmt.Errorf("validate form data against e-form %s: %w", form.ID, err)
	}
	return apierr.Invalid("INVALID_FORM_DATA",
		"formData.data does not satisfy the e-form "+quote(form.Name)+" (GET /eForms/"+form.ID+" has its schema)",
		Violations(ve)...)
}

func (v *FormValidator) compiled(form EForm) (*jsonschema.Schema, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.cache[form.ID]; ok {
		return s, nil
	}
	s, err := CompileSchema(form.ID, form.Schema)
	if err != nil {
		return nil, err
	}
	v.cache[form.ID] = s
	return s, nil
}

// CompileSchema compiles a JSON Schema (draft 2020-12 unless it says otherwise) with formats asserted.
func CompileSchema(id string, schema map[string]any) (*jsonschema.Schema, error) {
	// Round-trip through JSON so numbers are json.Number and the document is plain JSON values.
	raw, err := json.Marshal(schema)
	if err != nil {
		return nil, fmt.Errorf("e-form %s schema: %w", id, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("e-form %s schema: %w", id, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	loc := "urn:govstack:eform:" + id
	if err := c.AddResource(loc, doc); err != nil {
		return nil, fmt.Errorf("e-form %s schema: %w", id, err)
	}
	s, err := c.Compile(loc)
	if err != nil {
		return nil, fmt.Errorf("e-form %s schema: %w", id, err)
	}
	return s, nil
}

// Violations flattens a validation error into field violations, one per failed leaf rule, sorted by field.
// A missing required property is named by its own pointer (where it should have been), as is an
// unexpected one.
func Violations(ve *jsonschema.ValidationError) []apierr.FieldViolation {
	var out []apierr.FieldViolation
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		at := FormDataPointer + pointer(e.InstanceLocation)
		switch k := e.ErrorKind.(type) {
		case *kind.Required:
			for _, p := range k.Missing {
				out = append(out, apierr.FieldViolation{Field: at + "/" + escape(p), Description: "required"})
			}
		case *kind.AdditionalProperties:
			for _, p := range k.Properties {
				out = append(out, apierr.FieldViolation{Field: at + "/" + escape(p), Description: "not a field of this e-form"})
			}
		default:
			out = append(out, apierr.FieldViolation{Field: at, Description: e.ErrorKind.LocalizedString(printer)})
		}
	}
	walk(ve)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteString("/")
		b.WriteString(escape(t))
	}
	return b.String()
}

// escape encodes one JSON pointer token (RFC 6901).
func escape(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
}
