package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// fromSwagger turns one generated swagger document into the served v2 and v3 documents.
func fromSwagger(raw []byte) (v2, v3 []byte, err error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, err
	}
	spellEnums(doc, enumSpellings())
	integerParameters(doc)
	documentErrors(doc)
	if v2, err = encode(doc); err != nil {
		return nil, nil, err
	}
	var t openapi2.T
	if err := json.Unmarshal(v2, &t); err != nil {
		return nil, nil, err
	}
	t3, err := openapi2conv.ToV3(&t)
	if err != nil {
		return nil, nil, fmt.Errorf("convert to OpenAPI 3: %w", err)
	}
	if err := t3.Validate(context.Background()); err != nil {
		return nil, nil, fmt.Errorf("the OpenAPI 3 document is not valid: %w", err)
	}
	v3, err = encode(t3)
	return v2, v3, err
}

// fromOpenAPI3 turns a hand-written OpenAPI 3 document (YAML or JSON) into the served v2 and v3 documents.
func fromOpenAPI3(raw []byte) (v2, v3 []byte, err error) {
	loader := openapi3.NewLoader()
	t3, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, nil, err
	}
	if err := t3.Validate(loader.Context); err != nil {
		return nil, nil, fmt.Errorf("not a valid OpenAPI 3 document: %w", err)
	}
	if v3, err = encode(t3); err != nil {
		return nil, nil, err
	}
	t2, err := openapi2conv.FromV3(t3)
	if err != nil {
		return nil, nil, fmt.Errorf("convert to swagger 2.0: %w", err)
	}
	v2, err = encode(t2)
	return v2, v3, err
}

// encode writes v as indented JSON with object keys sorted and <, > and & as themselves.
func encode(v any) ([]byte, error) {
	// A round trip through a generic value sorts the keys of every object, whatever type wrote them.
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var generic any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(generic); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// integerParameters types 64-bit integer path and query parameters as integers. protoc-gen-openapiv2
// writes them as strings, which is right for JSON bodies (protojson writes an int64 as a string) but not for
// a URL, where every value is text and the GovStack specs say integer (e.g. GET /database/{id}).
func integerParameters(doc map[string]any) {
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		ops, _ := item.(map[string]any)
		for _, op := range ops {
			params, _ := op.(map[string]any)["parameters"].([]any)
			for _, p := range params {
				param, _ := p.(map[string]any)
				in, _ := param["in"].(string)
				format, _ := param["format"].(string)
				if (in == "path" || in == "query") && param["type"] == "string" && (format == "int64" || format == "uint64") {
					param["type"] = "integer"
				}
			}
		}
	}
}

// errorSchema is rest.ErrorBody, the JSON of every error the gateway answers.
var errorSchema = map[string]any{
	"type":        "object",
	"description": "The body of every error: code is the gRPC code name (e.g. INVALID_ARGUMENT), message says what to fix, and details name the fields (fieldViolation) and the reason (errorInfo).",
	"required":    []any{"code", "message", "details"},
	"properties": map[string]any{
		"code":      map[string]any{"type": "string", "example": "INVALID_ARGUMENT"},
		"message":   map[string]any{"type": "string"},
		"detail":    map[string]any{"type": "string", "description": "The message again, under the name GovStack error bodies use."},
		"requestId": map[string]any{"type": "string", "description": "Quote it to the operator: it finds the request in the logs and the IM's message log."},
		"details": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
			"type":        map[string]any{"type": "string", "description": "fieldViolation, errorInfo, or the name of another detail"},
			"field":       map[string]any{"type": "string", "description": "fieldViolation: the field, spelt as in the request"},
			"description": map[string]any{"type": "string"},
			"reason":      map[string]any{"type": "string", "description": "errorInfo: a stable UPPER_SNAKE reason, e.g. APPOINTMENT_NOT_FOUND"},
			"domain":      map[string]any{"type": "string"},
			"metadata":    map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}},
		}}},
	},
}

// documentErrors adds the Error definition and makes every operation's error responses use it: the
// documented ones (Messaging's 405) and a default response for the others.
func documentErrors(doc map[string]any) {
	defs, _ := doc["definitions"].(map[string]any)
	if defs == nil {
		defs = map[string]any{}
		doc["definitions"] = defs
	}
	defs["Error"] = errorSchema
	ref := map[string]any{"$ref": "#/definitions/Error"}
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		ops, _ := item.(map[string]any)
		for _, op := range ops {
			responses, _ := op.(map[string]any)["responses"].(map[string]any)
			if responses == nil {
				continue
			}
			for status, r := range responses {
				if resp, ok := r.(map[string]any); ok && status != "" && status[0] != '2' {
					resp["schema"] = ref
				}
			}
			responses["default"] = map[string]any{"description": "An error; the status and code say which kind.", "schema": ref}
		}
	}
}
