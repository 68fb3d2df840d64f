package pubsub

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

const schemaURL = "urn:govstack:im:pubsub:event-type"

// noLoader refuses every external $ref: a schema must be self-contained, and the gateway must not fetch
// URLs a caller chose.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("external references are not supported (%s); put every definition in the schema", url)
}

// compileSchema compiles raw (a JSON Schema document; draft 2020-12 unless its $schema says otherwise).
func compileSchema(raw []byte) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("schema is not JSON: %w", err)
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, errors.New("schema must be a JSON object")
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(noLoader{})
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	sch, err := c.Compile(schemaURL)
	if err != nil {
		// The compiler's message spans lines; keep it readable inside one JSON string.
		return nil, errors.New(strings.ReplaceAll(err.Error(), "\n", " "))
	}
	return sch, nil
}

// validatePayload checks raw against sch. The error names the JSON pointer of the first failing value.
func validatePayload(sch *jsonschema.Schema, raw []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("event is not JSON: %w", err)
	}
	err = sch.Validate(v)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	leaf := ve
	for len(leaf.Causes) > 0 {
		leaf = leaf.Causes[0]
	}
	loc := leaf.InstanceLocation
	if req, ok := leaf.ErrorKind.(*kind.Required); ok && len(req.Missing) > 0 {
		loc = append(loc[:len(loc):len(loc)], req.Missing[0]) // point at what is missing, not its parent
	}
	p := message.NewPrinter(language.English)
	return fmt.Errorf("event does not match the schema of its event type at %q: %s",
		pointer(loc), leaf.ErrorKind.LocalizedString(p))
}

// pointer renders a location as an RFC 6901 JSON pointer ("" is the whole event).
func pointer(loc []string) string {
	var sb strings.Builder
	for _, tok := range loc {
		sb.WriteByte('/')
		sb.WriteString(strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1"))
	}
	return sb.String()
}
