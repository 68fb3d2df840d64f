package e2e

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/gateway/openapi"
)

// rawRequestStatus sends bytes no HTTP client library would and reads the status code.
func rawRequestStatus(t *testing.T, base, raw string) int {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := conn.Write([]byte(raw)); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatalf("no status line: %v", err)
	}
	var status int
	if _, err := fmt.Sscanf(line, "HTTP/1.1 %d", &status); err != nil {
		t.Fatalf("status line %q: %v", line, err)
	}
	return status
}

// sweptHeaders are the headers the IM reads or passes on to a BB: the identity in every spelling, the IM's
// API key, the Messaging API key in both spellings, a user's token, the idempotency key, Messaging's
// requestUid, the caller's correlation id and the body's type. (A caller's X-Request-Id that is not a sane
// id is replaced, not refused: see sweepRequestID.) A CR LF pair needs no test of its own: in a raw
// request it only ends one header and starts another, and Go's client refuses to send it.
var sweptHeaders = []string{"Information-Mediator-Client", "X-GovStack-Client", "X-Road-Client", "X-GovStack-Api-Key",
	"apiKey", "api_key", "Authorization", "Idempotency-Key", "requestUid", "X-Correlation-Id", "Content-Type"}

// spoilt are header values Go's HTTP client sends as they are; rawSpoilt are values it refuses to send (a
// NUL, CR, LF), which go out in a request written byte by byte.
var (
	spoilt    = map[string]string{"not UTF-8": "a\xffb", "not ASCII": "Jõgeva", "over-long": strings.Repeat("k", 64<<10)}
	rawSpoilt = map[string]string{"NUL": "a\x00b", "CR": "a\rb", "LF": "a\nb"}
)

// headerSweep sends every swept header with every spoilt value to a read and a write of every API: a 400
// naming the header, never a 5xx. Values only a raw request can carry are refused by Go's HTTP server
// before the gateway sees them (400 without naming the header, which the server does not say); the sweep
// holds them to a 4xx. It returns the request ids of the requests that reached the gateway.
func (s *stack) headerSweep(t *testing.T, ops []operation) []string {
	t.Helper()
	var sent []string
	for _, o := range headerSweepOperations(ops) {
		base := mutation{path: o.target(nil)}
		if o.body != nil {
			base.body = "{}"
		}
		for _, name := range sweptHeaders {
			for kind, v := range spoilt {
				id := fmt.Sprintf("sweep-h%d", len(sent)+1)
				sent = append(sent, id)
				m := withKind(base, name+" "+kind, name)
				m.headers = map[string]string{name: v}
				r := s.sweepRequest(t, o, m, id)
				checkSweepAnswer(t, o, m, r)
			}
			for kind, v := range rawSpoilt {
				if status := s.rawSweepRequest(t, o, base, name, v); status/100 != 4 {
					t.Errorf("%s %s with %s %s in a raw request: status %d, want a 4xx", o.method, o.path, name, kind, status)
				}
			}
		}
	}
	s.sweepRequestID(t)
	t.Logf("header sweep: %d requests through Go's client and %d raw ones, on %d operations", len(sent),
		len(headerSweepOperations(ops))*len(sweptHeaders)*len(rawSpoilt), len(headerSweepOperations(ops)))
	return sent
}

// headerSweepOperations are the first read and the first write of each API document.
func headerSweepOperations(ops []operation) []operation {
	var out []operation
	seen := map[string]bool{}
	for _, o := range ops {
		if key := o.bb + " " + o.method; (o.method == "GET" || o.method == "POST") && !seen[key] {
			seen[key] = true
			out = append(out, o)
		}
	}
	return out
}

// rawSweepRequest sends o with header name set to v in a request Go's client would refuse to write.
func (s *stack) rawSweepRequest(t *testing.T, o operation, m mutation, name, v string) int {
	t.Helper()
	headers := map[string]string{"Host": "sweep", "Content-Type": "application/json", "Connection": "close",
		"Information-Mediator-Client": client, "apiKey": "govstack-dev-messaging-key"}
	if o.bb == openapi.IM {
		headers["Information-Mediator-Client"] = imAdmin
	}
	headers[name] = v
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", o.method, m.path)
	for k, val := range headers {
		fmt.Fprintf(&b, "%s: %s\r\n", k, val)
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(m.body), m.body)
	return rawRequestStatus(t, s.url, b.String())
}

// sweepRequestID: a caller's X-Request-Id that is not a sane id (short, letters, digits and -_.:) is not
// refused but replaced with one of the gateway's, which the answer carries.
func (s *stack) sweepRequestID(t *testing.T) {
	t.Helper()
	for kind, v := range spoilt {
		r := s.do(t, "GET", "/databases", "", map[string]string{"X-Request-Id": v})
		if got := r.header.Get("X-Request-Id"); r.code != 200 || got == "" || got == v || len(got) > 64 {
			t.Errorf("X-Request-Id %s: %d, answered with request id %.80q", kind, r.code, got)
		}
	}
	for kind, v := range rawSpoilt {
		raw := "GET /databases HTTP/1.1\r\nHost: sweep\r\nConnection: close\r\nInformation-Mediator-Client: " +
			client + "\r\nX-Request-Id: " + v + "\r\n\r\n"
		if status := rawRequestStatus(t, s.url, raw); status/100 != 4 {
			t.Errorf("X-Request-Id %s in a raw request: status %d, want a 4xx", kind, status)
		}
	}
}
