package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// schemaURL is the name the registry's schema is compiled under; it shows in compile errors only.
const schemaURL = "registry-schema.json"

var printer = message.NewPrinter(language.English)

// SchemaCache keeps each registry's compiled schema until the registry is modified: compiling costs far
// more than validating, and a schema changes rarely.
type SchemaCache struct {
	mu      sync.RWMutex
	entries map[int32]cachedSchema
}

type cachedSchema struct {
	modifiedAt time.Time
	schema     *jsonschema.Schema
}

// NewSchemaCache returns an empty cache.
func NewSchemaCache() *SchemaCache { return &SchemaCache{entries: map[int32]cachedSchema{}} }

// For returns r's compiled schema, compiling it when r is new to the cache or was modified since.
func (c *SchemaCache) For(r domain.Registry) (*jsonschema.Schema, error) {
	c.mu.RLock()
	e, ok := c.entries[r.ID]
	c.mu.RUnlock()
	if ok && e.modifiedAt.Equal(r.ModifiedAt) {
		return e.schema, nil
	}
	sch, err := CompileSchema(r.Schema)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.entries[r.ID] = cachedSchema{modifiedAt: r.ModifiedAt, schema: sch}
	c.mu.Unlock()
	return sch, nil
}

// noRemoteLoader refuses every external $ref: a schema sent by a caller must not make the registry fetch
// URLs or read files.
type noRemoteLoader struct{}

func (noRemoteLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("external references are not allowed (%s)", url)
}

// CompileSchema compiles a registry schema (draft 2020-12 unless it says otherwise). Unknown keywords such as
// GovStack's primaryKey and triggers are ignored, as JSON Schema prescribes. A schema that does not compile
// is the caller's mistake: a 400 that says what is wrong.
func CompileSchema(doc map[string]any) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.UseLoader(noRemoteLoader{})
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, invalidSchema(err)
	}
	sch, err := c.Compile(schemaURL)
	if err != nil {
		return nil, invalidSchema(err)
	}
	return sch, nil
}

func invalidSchema(err error) error {
	msg := strings.ReplaceAll(err.Error(), "file://", "")
	return apierr.Invalid(domain.ReasonInvalidSchema, "the schema is not a valid JSON Schema: "+msg,
		apierr.FieldViolation{Field: "schema", Description: msg})
}

// Validate checks content against sch. Every failing instance location becomes one field violation, its
// field a JSON pointer such as "/firstName"; a missing required property is reported at the property itself.
func Validate(sch *jsonschema.Schema, content map[string]any) error {
	err := sch.Validate(content)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return apierr.Invalid(domain.ReasonSchemaViolation, "the record does not satisfy the schema: "+err.Error())
	}
	violations := violationsOf(ve)
	return apierr.Invalid(domain.ReasonSchemaViolation, "the record does not satisfy the registry's schema",
		violations...)
}

func violationsOf(ve *jsonschema.ValidationError) []apierr.FieldViolation {
	byField := map[string][]string{}
	var fields []string
	add := func(field, msg string) {
		if _, seen := byField[field]; !seen {
			fields = append(fields, field)
		}
		if !slices.Contains(byField[field], msg) {
			byField[field] = append(byField[field], msg)
		}
	}
	for _, leaf := range leaves(ve) {
		loc := pointer(leaf.InstanceLocation)
		if req, ok := leaf.ErrorKind.(*kind.Required); ok {
			for _, prop := range req.Missing {
				add(loc+"/"+escape(prop), "missing required property")
			}
			continue
		}
		add(loc, leaf.ErrorKind.LocalizedString(printer))
	}
	out := make([]apierr.FieldViolation, 0, len(fields))
	for _, f := range fields {
		out = append(out, apierr.FieldViolation{Field: f, Description: strings.Join(byField[f], "; ")})
	}
	return out
}

// leaves returns the innermost errors: the outer ones only say "validation failed" or point at a $ref.
func leaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

func pointer(tokens []string) string {
	var sb strings.Builder
	for _, t := range tokens {
		sb.WriteString("/" + escape(t))
	}
	return sb.String()
}

// escape applies RFC 6901: "~" and "/" inside a token.
func escape(token string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(token)
}
