package e2e

import (
	"strings"
	"testing"
)

// TestIdempotentRetryThroughTheGateway: a client that retries a create with the same Idempotency-Key —
// because it never saw the first answer — gets the first answer again, not a 409 for its own record; the
// same key with another body is a 409 that says so; reads ignore the header (issue 12).
func TestIdempotentRetryThroughTheGateway(t *testing.T) {
	s := startStack(t)
	const body = `{"write":{"content":{"personalCode":"EE38812120011","firstName":"Juhan","lastName":"Liiv","birthDate":"1988-12-12","email":"juhan@example.org"}}}`
	key := map[string]string{"Idempotency-Key": "3f1c9a52-7f2e-4c1b-9a53-1d1e4b2c9f10"}
	first := s.do(t, "POST", "/data/citizens/1.0/create", body, key)
	expect(t, first, 200, `"firstName":"Juhan"`)
	again := s.do(t, "POST", "/data/citizens/1.0/create", body, key)
	expect(t, again, 200, `"firstName":"Juhan"`)
	if again.body != first.body {
		t.Errorf("the retry got another answer:\n%s\n%s", first.body, again.body)
	}
	// Without the key, the same create is what it always was: the record exists.
	expect(t, s.do(t, "POST", "/data/citizens/1.0/create", body, nil), 409, "ALREADY_EXISTS")
	// The same key with another request is refused, saying why.
	other := strings.Replace(body, "Juhan", "Johannes", 1)
	expect(t, s.do(t, "POST", "/data/citizens/1.0/create", other, key), 409, "different request")
	// A GET ignores the key (it is safe to retry anyway); a POST is a request like any other.
	expect(t, s.do(t, "GET", "/data/citizens/1.0?query.personalCode=EE38812120011", "", key), 200, `"count":1`)
	readKey := map[string]string{"Idempotency-Key": "read-1"}
	for range 2 {
		expect(t, s.do(t, "POST", "/data/citizens/1.0/read", `{"query":{"content":{"personalCode":"EE38812120011"}}}`, readKey), 200, "Juhan")
	}
	expect(t, s.do(t, "POST", "/data/citizens/1.0/create", body, map[string]string{"Idempotency-Key": "has spaces"}), 400, "Idempotency-Key")
}
