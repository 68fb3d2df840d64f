package ocds

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Kinds of OCDS document Validate recognises, by their top-level fields.
const (
	KindRelease        = "release"
	KindReleasePackage = "release package"
	KindRecordPackage  = "record package"
)

// maxReported bounds how many problems one error lists: enough to fix a document, short enough to read.
const maxReported = 5

// schemaFiles maps each embedded schema to the URL the OCDS documents use for it. The bids-extended
// release schema stands in for the core one, so packages are checked with the bids extension too.
var schemaFiles = map[string]string{
	schemaBase + "release-schema.json":                      releaseSchemaFile,
	schemaBase + "release-package-schema.json":              "schema/release-package-schema.json",
	schemaBase + "record-package-schema.json":               "schema/record-package-schema.json",
	schemaBase + "versioned-release-validation-schema.json": "schema/versioned-release-validation-schema.json",
}

var (
	compileOnce sync.Once
	compiled    map[string]*jsonschema.Schema // by kind
	compileErr  error
)

// ValidationError lists where a document breaks the schema, each as a JSON pointer and what is wrong.
type ValidationError struct {
	Kind     string
	Problems []Problem
}

// Problem is one failed check: Pointer is an RFC 6901 JSON pointer into the document ("" is the root).
type Problem struct {
	Pointer string
	Message string
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		parts = append(parts, fmt.Sprintf("at %q: %s", p.Pointer, p.Message))
	}
	return fmt.Sprintf("OCDS %s is invalid: %s", e.Kind, strings.Join(parts, "; "))
}

// Validate checks raw — a release, a release package or a record package, told apart by their fields —
// against OCDS 1.1.5 with the bids extension. Closed codelists are enums in the schema, so the schema
// check covers them (TestClosedCodelistsAreEnforced keeps that true); see CheckCodelists for open ones.
func Validate(raw []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("OCDS document is not JSON: %w", err)
	}
	return ValidateValue(doc)
}

// ValidateValue is Validate over a decoded document (json.Number or float64 numbers both work).
func ValidateValue(doc any) error {
	schemas, err := loadSchemas()
	if err != nil {
		return err
	}
	k := kindOf(doc)
	err = schemas[k].Validate(doc)
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		return &ValidationError{Kind: k, Problems: problems(ve)}
	}
	return err
}

func kindOf(doc any) string {
	obj, _ := doc.(map[string]any)
	switch {
	case obj["records"] != nil:
		return KindRecordPackage
	case obj["releases"] != nil:
		return KindReleasePackage
	default:
		return KindRelease
	}
}

func loadSchemas() (map[string]*jsonschema.Schema, error) {
	compileOnce.Do(func() { compiled, compileErr = compileSchemas() })
	return compiled, compileErr
}

func compileSchemas() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.UseLoader(offline{})
	c.AssertFormat()
	for url, file := range schemaFiles {
		raw, err := schemaFS.ReadFile(file)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		doc.(map[string]any)["id"] = url // the merged schema's own id is a local urn
		if err := c.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for k, file := range map[string]string{
		KindRelease: "release-schema.json", KindReleasePackage: "release-package-schema.json",
		KindRecordPackage: "record-package-schema.json",
	} {
		sch, err := c.Compile(schemaBase + file)
		if err != nil {
			return nil, fmt.Errorf("compile %s: %w", file, err)
		}
		out[k] = sch
	}
	return out, nil
}

// offline refuses any schema not embedded: validation never reaches the network.
type offline struct{}

func (offline) Load(url string) (any, error) {
	return nil, fmt.Errorf("schema %s is not embedded", url)
}

// problems flattens the error tree to its leaves (the checks that actually failed), deduplicated and in
// document order, at most maxReported.
func problems(ve *jsonschema.ValidationError) []Problem {
	p := message.NewPrinter(language.English)
	seen := map[Problem]bool{}
	var out []Problem
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		loc := e.InstanceLocation
		if req, ok := e.ErrorKind.(*kind.Required); ok && len(req.Missing) == 1 {
			loc = append(loc[:len(loc):len(loc)], req.Missing[0]) // point at what is missing
		}
		pr := Problem{Pointer: pointer(loc), Message: describe(e.ErrorKind, p)}
		if !seen[pr] {
			seen[pr] = true
			out = append(out, pr)
		}
	}
	walk(ve)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pointer < out[j].Pointer })
	if len(out) > maxReported {
		out = out[:maxReported]
	}
	return out
}

// describe words a failed check; a long enum (a codelist such as currency) is not listed in full.
func describe(k jsonschema.ErrorKind, p *message.Printer) string {
	if enum, ok := k.(*kind.Enum); ok && len(enum.Want) > 20 {
		return fmt.Sprintf("%v is not a code of the closed codelist (%d codes)", enum.Got, len(enum.Want)-1)
	}
	return k.LocalizedString(p)
}

// pointer renders a location as an RFC 6901 JSON pointer.
func pointer(loc []string) string {
	var sb strings.Builder
	for _, tok := range loc {
		sb.WriteByte('/')
		sb.WriteString(strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1"))
	}
	return sb.String()
}
