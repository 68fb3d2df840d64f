package rest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// checkRequest runs for every request the REST mux matched, before the generated handler decodes it. It
// reads the path parameters, the query and the body against the RPC's request message (routes.go) and
// answers 400 — naming every field, what was sent and what was expected — for anything the handler would
// refuse in grpc-gateway's or protobuf's own words, or that Postgres could not store. What passes is handed
// on in the form the handler decodes without error: enum values in their proto names, unknown JSON fields
// dropped, a JSON body sent as a form (curl -d's default) labelled JSON.
func checkRequest(next runtime.HandlerFunc) runtime.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
		pat, ok := runtime.HTTPPattern(r.Context())
		if !ok {
			next(w, r, params)
			return
		}
		rt, ok := routeFor(r.Method, normalisePattern(pat.String()))
		if !ok {
			next(w, r, params)
			return
		}
		if rt.apiKey && r.Header.Get("apiKey") == "" && r.Header.Get("api_key") == "" {
			// Messaging answers a missing key with 401; it must not be hidden behind a 400 for the body.
			WriteError(w, r, http.StatusUnauthorized, codes.Unauthenticated,
				"the apiKey header is required (api_key is accepted too): send the API key the Messaging operator issued you",
				Detail{Type: "errorInfo", Reason: "GOVSTACK_MESSAGING_API_KEY_REQUIRED", Domain: "govstack.messaging"})
			return
		}
		vs := checkPath(rt, params)
		if rt.body != "*" {
			vs = append(vs, populateQuery(dynamicpb.NewMessage(rt.input), r.URL.Query(), rt.boundElsewhere)...)
		}
		if len(vs) == 0 && rt.body != "" {
			var handled bool
			if vs, handled = checkBodyOf(w, r, rt); handled {
				return
			}
		}
		if len(vs) > 0 {
			writeViolations(w, r, rt.invalidStatus, "GOVSTACK_IM_INVALID_REQUEST", vs)
			return
		}
		next(w, r, params)
	}
}

// checkPath reads each path parameter as its field; enum values are rewritten to the names the generated
// handler parses.
func checkPath(rt route, params map[string]string) []violation {
	var vs []violation
	for name, val := range params {
		fd, jsonPath := resolvePath(rt.input, name)
		if fd == nil {
			continue
		}
		if fd.Message() != nil {
			if p := textMessage(dynamicpb.NewMessage(fd.Message()), val); p != "" {
				vs = append(vs, violation{jsonPath, p})
			}
			continue
		}
		v, p := parseText(fd, val, echoValue(val))
		switch {
		case p != "":
			vs = append(vs, violation{jsonPath, p})
		case fd.Kind() == protoreflect.EnumKind:
			params[name] = string(fd.Enum().Values().ByNumber(v.e).Name())
		}
	}
	return vs
}

// resolvePath finds the field a dotted proto path names and spells the path in JSON names.
func resolvePath(md protoreflect.MessageDescriptor, path string) (protoreflect.FieldDescriptor, string) {
	var fd protoreflect.FieldDescriptor
	var names []string
	for _, seg := range strings.Split(path, ".") {
		if md == nil {
			return nil, ""
		}
		if fd = md.Fields().ByName(protoreflect.Name(seg)); fd == nil {
			return nil, ""
		}
		names = append(names, fd.JSONName())
		md = fd.Message()
	}
	return fd, strings.Join(names, ".")
}

// checkBodyOf checks the body by its content type. handled is true when it has answered the request itself
// (413, 415, malformed JSON).
func checkBodyOf(w http.ResponseWriter, r *http.Request, rt route) (vs []violation, handled bool) {
	md, list := rt.bodyMessage(), rt.bodyList()
	if (md == nil && list == nil) || md != nil && md.FullName() == "google.api.HttpBody" || r.Body == nil || r.Body == http.NoBody {
		return nil, false
	}
	body, err := io.ReadAll(r.Body)
	var mbe *http.MaxBytesError
	switch info := InfoFrom(r.Context()); {
	case errors.As(err, &mbe) || info.bodyTooLarge:
		writeTooLarge(w, r, info.bodyLimit)
		return nil, true
	case err != nil:
		WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument, "the request body could not be read: it ended early")
		return nil, true
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, false
	}
	switch bodyType(r.Header.Get("Content-Type"), body) {
	case "json":
		n, err := parseJSON(body)
		if err != nil {
			writeViolations(w, r, rt.invalidStatus, "GOVSTACK_IM_INVALID_JSON", []violation{{"(body)", err.Error()}})
			return nil, true
		}
		var clean []byte
		if list != nil {
			clean, vs = checkListBody(n, list)
		} else {
			clean, vs = checkBody(n, md)
		}
		if len(vs) == 0 {
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(clean)), int64(len(clean))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Del("Content-Length")
		}
		return vs, false
	case "form":
		if md == nil {
			return []violation{{"(body)", "expected a JSON list; send it with Content-Type: application/json"}}, false
		}
		values, err := url.ParseQuery(string(body))
		if err != nil {
			return []violation{{"(body)", "the form body is not valid application/x-www-form-urlencoded: " + err.Error()}}, false
		}
		return populateQuery(dynamicpb.NewMessage(md), values, func([]string) bool { return false }), false
	}
	WriteError(w, r, http.StatusUnsupportedMediaType, codes.InvalidArgument,
		"the body's Content-Type "+echoValue(r.Header.Get("Content-Type"))+
			" is not accepted here; send JSON with Content-Type: application/json")
	return nil, true
}

// bodyType classifies a body: "json" for JSON content types and for none; "form" for a form, unless the body
// is plainly JSON — curl -d sends JSON with the form content type unless told otherwise, and reading it as a
// form would silently drop every field; "" for anything else.
func bodyType(contentType string, body []byte) string {
	if contentType == "" {
		return "json"
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	switch {
	case mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json"):
		return "json"
	case mt == MIMEForm:
		if t := bytes.TrimSpace(body); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			return "json"
		}
		return "form"
	}
	return ""
}

// writeViolations answers 400 (or the status the operation's spec gives invalid input) with one field
// violation per problem.
func writeViolations(w http.ResponseWriter, r *http.Request, status int, reason string, vs []violation) {
	if status == 0 {
		status = http.StatusBadRequest
	}
	details := make([]Detail, 0, len(vs)+1)
	for _, v := range vs {
		details = append(details, Detail{Type: "fieldViolation", Field: v.field, Description: v.description})
	}
	details = append(details, Detail{Type: "errorInfo", Reason: reason, Domain: "govstack.im"})
	msg := violationsMessage(vs)
	if vs[0].field == "(body)" {
		msg = vs[0].description
	}
	WriteError(w, r, status, codes.InvalidArgument, msg, details...)
}
