package rest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/govstackbb/marketplace/platform/textcheck"
	"google.golang.org/grpc/codes"
)

// The IM's own APIs (directory, configuration, pub/sub) are plain net/http handlers reading JSON into Go
// structs. DecodeJSON and CheckText give them the errors the BB routes give: what to fix, in the field's
// spelling, with no parser's words — and refuse text Postgres cannot store before any handler sees it.

// DecodeJSON reads the request body (at most limit bytes) into v and answers the client itself when it
// cannot: 413 over the limit, 415 for a body that is not JSON, 400 for an empty body, bad JSON, text Postgres
// cannot store or a value of the wrong type — naming the field.
func DecodeJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeTooLarge(w, r, limit)
		return false
	case err != nil:
		WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument, "the request body could not be read: it ended early")
		return false
	case len(strings.TrimSpace(string(body))) == 0:
		WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument, "the request body is empty: send JSON")
		return false
	case bodyType(r.Header.Get("Content-Type"), body) != "json":
		WriteError(w, r, http.StatusUnsupportedMediaType, codes.InvalidArgument, "the body's Content-Type "+
			echoValue(r.Header.Get("Content-Type"))+" is not accepted here; send JSON with Content-Type: application/json")
		return false
	}
	tree, err := parseJSON(body)
	if err != nil {
		writeViolations(w, r, http.StatusBadRequest, "GOVSTACK_IM_INVALID_JSON", []violation{{"(body)", err.Error()}})
		return false
	}
	var c bodyChecker
	c.freeText(tree, "")
	if len(c.violations) > 0 {
		writeViolations(w, r, http.StatusBadRequest, "GOVSTACK_IM_INVALID_TEXT", c.violations)
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field
			if field == "" {
				field = "(body)"
			}
			writeViolations(w, r, http.StatusBadRequest, "GOVSTACK_IM_INVALID_FIELD",
				[]violation{{field, "expected " + jsonWords(te.Type) + ", got " + article(te.Value)}})
			return false
		}
		WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument, "the request body does not have the shape this API reads; see /docs")
		return false
	}
	return true
}

// jsonWords names what a Go type reads from JSON.
func jsonWords(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
		reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number in range"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Pointer:
		return jsonWords(t.Elem())
	default:
		return "an object"
	}
}

// article turns encoding/json's value kind ("string", "number 1e30", "array") into words.
func article(kind string) string {
	switch {
	case kind == "array":
		return "a list"
	case kind == "object":
		return "an object"
	case kind == "bool":
		return "true or false"
	case strings.HasPrefix(kind, "number "):
		return "the number " + strings.TrimPrefix(kind, "number ") // too large, or not whole
	}
	return "a " + kind
}

// CheckText wraps the handler of one route of pattern: a path parameter or query value holding text
// Postgres cannot store (NUL, bytes that are not UTF-8) is a 400 naming it, before h runs.
func CheckText(pattern string, h http.Handler) http.Handler {
	var names []string
	for rest := pattern; ; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			break
		}
		names = append(names, strings.TrimSuffix(strings.TrimSuffix(rest[i+1:i+j], "..."), "$"))
		rest = rest[i+j:]
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var vs []violation
		for _, n := range names {
			if p := textcheck.Problem(r.PathValue(n)); p != "" {
				vs = append(vs, violation{n, p})
			}
		}
		for key, values := range r.URL.Query() {
			field := key
			if textcheck.Problem(key) != "" {
				field = echoValue(key)
			}
			for _, v := range append([]string{key}, values...) {
				if p := textcheck.Problem(v); p != "" {
					vs = append(vs, violation{field, p})
					break
				}
			}
		}
		if len(vs) > 0 {
			writeViolations(w, r, http.StatusBadRequest, "GOVSTACK_IM_INVALID_TEXT", vs)
			return
		}
		h.ServeHTTP(w, r)
	})
}
