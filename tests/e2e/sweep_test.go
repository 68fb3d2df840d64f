package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/gateway/openapi"
	"github.com/govstackbb/marketplace/internal/devstack"
)

// TestMalformedRequestSweep sends hostile and malformed input to every operation of every OpenAPI document
// the gateway serves — the BBs' and the IM's own (as its admin) — through the gateway (issue 11): NUL and bytes that are not UTF-8 in every path and query
// parameter and in every string of the body, values of the wrong JSON type, numbers out of range, bad JSON,
// unknown fields, a hostile identity header. No answer may be a 5xx; every error is the gateway's JSON with
// a message; every mutation of a named field is a 400 that names it. Afterwards the message log has a
// record of every request (none of them stopped it) and still verifies.
func TestMalformedRequestSweep(t *testing.T) {
	t.Parallel() // a stack of its own (startStackWith)
	// The sweep sends a few thousand requests as one client; the per-client rate limit is not what it tests.
	s := startStackWith(t, func(c *devstack.Config) { c.RateLimit, c.AdminClients = 0, imAdmin })
	var sent []string
	fired := map[string]int{} // mutation kind → requests
	ops := openAPIOperations(t)
	for _, spec := range ops {
		for _, m := range spec.mutations() {
			id := fmt.Sprintf("sweep-%d", len(sent)+1)
			sent = append(sent, id)
			fired[m.kind]++
			r := s.sweepRequest(t, spec, m, id)
			checkSweepAnswer(t, spec, m, r)
		}
	}
	t.Logf("sent %d requests: %v", len(sent), fired)
	if len(sent) < 500 {
		t.Fatalf("only %d requests: the OpenAPI documents were not read", len(sent))
	}

	// Every header the IM reads or passes on, spoilt, on a read and a write of every API.
	sent = append(sent, s.headerSweep(t, ops)...)

	// Every request that reached the gateway is in the message log — the last one sent after all the rest,
	// so the log was still writing — and the chain still verifies.
	last := fmt.Sprintf("sweep-%d", len(sent)+1)
	if r := s.do(t, "GET", "/databases", "", map[string]string{"X-Request-Id": last}); r.code != 200 {
		t.Fatalf("a plain request after the sweep: %d %s", r.code, r.body)
	}
	s.waitLogged(t, append(sent, last))
	var report strings.Builder
	if err := s.dev.VerifyLog(context.Background(), &report); err != nil {
		t.Fatalf("verify-log after the sweep: %v\n%s", err, report.String())
	}
	if r := s.do(t, "GET", "/readyz", "", nil); r.code != 200 {
		t.Fatalf("the gateway is not ready after the sweep: %s", r.body)
	}
}

// imSamples are path values of the IM's own APIs that lead past the first check to the body: a client id
// that parses, and the registries provider's room.
var imSamples = map[string]string{"clientId": "GOVSTACK:GOV:SWEEP:app", "instanceId": "GOVSTACK", "memberClass": "GOV",
	"memberCode": "GOVSTACK", "applicationCode": "registries"}

// sampleFor is a harmless value of a path parameter.
func sampleFor(p param) string {
	if v, ok := imSamples[p.name]; ok {
		return v
	}
	if p.typ == "integer" {
		return "1"
	}
	return "sweep1"
}

func (o operation) target(override map[string]string) string {
	path := o.path
	for _, p := range o.pathParams {
		v, ok := override[p.name]
		if !ok {
			v = sampleFor(p)
		}
		path = strings.Replace(path, "{"+p.name+"}", v, 1)
	}
	return path
}

func (o operation) mutations() []mutation {
	base := mutation{path: o.target(nil)}
	if o.body != nil {
		base.body = "{}"
	}
	ms := []mutation{withKind(base, "unchanged", "")}
	for _, p := range o.pathParams {
		for kind, v := range map[string]string{"path NUL": "a%00b", "path not UTF-8": "a%ffb"} {
			m := base
			m.path = o.target(map[string]string{p.name: v})
			ms = append(ms, withKind(m, kind, p.name))
		}
	}
	for _, p := range o.queryParams {
		bad := map[string]string{"query NUL": "a%00b", "query not UTF-8": "a%ffb"}
		switch p.typ {
		case "integer":
			bad["query not a number"], bad["query huge"] = "ten", "99999999999999999999"
		case "boolean":
			bad["query not a boolean"] = "maybe"
		}
		for kind, v := range bad {
			m := base
			m.query = url.QueryEscape(p.name) + "=" + v
			ms = append(ms, withKind(m, kind, p.name))
		}
	}
	if o.body != nil {
		for kind, body := range map[string]string{"bad JSON": `{"a":`, "JSON list": `[1,2]`, "unknown fields": `{"zzUnknown":{"x":[1,"\u0000"]},"zz2":null}`} {
			m := base
			m.body = body
			field := "(body)"
			switch {
			case kind == "unknown fields":
				field = ""
			case kind == "JSON list" && o.bodyList && o.bb != openapi.IM: // a BB's list body (Payments' batch): its
				field = "[0]" // first item is named; the IM's own APIs, plain JSON decoders, name (body)
			}
			ms = append(ms, withKind(m, kind, field))
		}
		names := make([]string, 0, len(o.body))
		for name := range o.body {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			ms = append(ms, bodyMutations(base, name, o.body[name])...)
		}
	}
	m := base
	m.headers = map[string]string{"Information-Mediator-Client": "eGovStack/GOV/9\xff/x"}
	ms = append(ms, withKind(m, "identity header not UTF-8", "Information-Mediator-Client"))
	return ms
}

// bodyMutations: a NUL in every string, and a value of the wrong JSON type where the type is strict.
func bodyMutations(base mutation, name string, p prop) []mutation {
	key, _ := json.Marshal(name)
	bad := map[string]string{}
	switch {
	case p.typ == "string" || p.typ == "enum":
		bad["body NUL"] = `"a\u0000b"`
		bad["body not UTF-8"] = "\"a\xffb\""
		if p.format == "" || p.format == "date-time" {
			bad["body wrong type"] = `12345`
		}
	case p.typ == "integer":
		bad["body wrong type"], bad["body huge"] = `"ten"`, `1e30`
	case p.typ == "boolean":
		bad["body wrong type"] = `"maybe"`
	case p.typ == "array":
		bad["body wrong type"] = `"x"`
		bad["body NUL"] = `["a\u0000b"]`
	case p.typ == "message":
		bad["body wrong type"] = `5`
	case p.typ == "object": // a google.protobuf.Struct: free-form, but its text must be storable
		bad["body NUL"] = `{"k":"a\u0000b"}`
	}
	var out []mutation
	for kind, v := range bad {
		m := base
		m.body = "{" + string(key) + ":" + v + "}"
		field := name
		if kind == "body NUL" && (p.typ == "array" || p.typ == "object") {
			field = name + "." // the error names an element or key inside it: name[0], name.k
		}
		out = append(out, withKind(m, kind, field))
	}
	return out
}

func withKind(m mutation, kind, field string) mutation {
	m.kind, m.field = kind, field
	return m
}

func (s *stack) sweepRequest(t *testing.T, o operation, m mutation, id string) response {
	t.Helper()
	headers := map[string]string{
		"X-Request-Id": id,
		"apiKey":       "govstack-dev-messaging-key", // Messaging answers a missing key before anything else
	}
	if o.bb == openapi.IM {
		headers["Information-Mediator-Client"] = imAdmin // most of the IM's APIs are for admins
	}
	for k, v := range m.headers {
		headers[k] = v
	}
	target := m.path
	if m.query != "" {
		target += "?" + m.query
	}
	return s.do(t, o.method, target, m.body, headers)
}

func checkSweepAnswer(t *testing.T, o operation, m mutation, r response) {
	t.Helper()
	where := fmt.Sprintf("%s %s (%s %s: %s?%s body %q)", o.method, o.path, o.bb, m.kind, m.path, m.query, m.body)
	if r.code >= 500 {
		t.Errorf("%s: %d %s", where, r.code, r.body)
		return
	}
	if r.code < 400 {
		if m.field != "" {
			t.Errorf("%s: accepted (%d), want a 400 for %s", where, r.code, m.field)
		}
		return
	}
	var e struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Details []struct {
			Field string `json:"field"`
		} `json:"details"`
	}
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || e.Code == "" || e.Message == "" {
		t.Errorf("%s: %d without the JSON error body: %s", where, r.code, r.body)
		return
	}
	if internals.MatchString(e.Message) {
		t.Errorf("%s: the message uses a parser's words: %q", where, e.Message)
	}
	if m.field == "" {
		return
	}
	want := o.invalidStatus
	if m.headers != nil {
		want = 400 // headers are the IM's own check, before any operation is chosen
	}
	if r.code != want {
		t.Errorf("%s: %d %s, want a %d naming %s", where, r.code, r.body, want, m.field)
		return
	}
	named := strings.Contains(e.Message, m.field)
	for _, d := range e.Details {
		named = named || d.Field == m.field || strings.HasSuffix(m.field, ".") && strings.HasPrefix(d.Field, strings.TrimSuffix(m.field, "."))
	}
	if !named {
		t.Errorf("%s: the error does not name %s: %s", where, m.field, r.body)
	}
}

// internals are the words of parsers and drivers that must never reach a client.
var internals = regexp.MustCompile(`proto:|strconv\.|unexpected token|invalid value for|pgx|SQLSTATE|unsupported message type|syntax error at`)

// waitLogged waits until the message log holds a request record for every id.
func (s *stack) waitLogged(t *testing.T, ids []string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.databaseURL(t, "gateway"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	deadline := time.Now().Add(60 * time.Second)
	for {
		var n int
		if err := conn.QueryRow(context.Background(), `SELECT count(DISTINCT message_id) FROM im_msglog_record
			WHERE direction = 'request' AND message_id = ANY($1)`, ids).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == len(ids) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the message log has %d of the %d requests", n, len(ids))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
