package rest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A batch of 10,000 payments (about 3 MB of JSON) passes on a bulk route; the same body anywhere else is
// 413, declared (Content-Length) or not (chunked: the limit trips while it is read).
func TestBulkRoutesTakeABatchOtherRoutesKeepTheLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	for i := range 10_000 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"requestId":"r-%05d","creditParty":[{"key":"msisdn","value":"3725500%05d"}],"debitParty":[{"key":"payerIdentifier","value":"TREASURY"}],"paymentMode":"01","amount":"12.34","currency":"EUR","descriptionText":"benefit for December","references":{"contractId":"C-%05d"}}`, i, i, i)
	}
	b.WriteString("]")
	batch := b.String()
	if len(batch) < 2<<20 {
		t.Fatalf("the batch is only %d bytes", len(batch))
	}
	read := 0
	h := Limit(Limits{Body: 1 << 20, Bulk: 32 << 20, Timeout: time.Minute, BulkRoutes: map[string]bool{"POST /batchtransactions": true}},
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n, err := io.Copy(io.Discard, r.Body)
			if err != nil {
				w.WriteHeader(http.StatusRequestEntityTooLarge)
				return
			}
			read = int(n)
		}))
	for _, c := range []struct {
		method, path string
		chunked      bool
		want         int
	}{
		{"POST", "/batchtransactions", false, 200},
		{"POST", "/batchtransactions", true, 200},
		{"POST", "/vouchers", false, 413},
		{"POST", "/vouchers", true, 413},
		{"PUT", "/batchtransactions", false, 413}, // the route is the method and the path
	} {
		read = 0
		req := httptest.NewRequest(c.method, c.path, strings.NewReader(batch))
		if c.chunked {
			req.ContentLength = -1
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.want || (c.want == 200 && read != len(batch)) {
			t.Errorf("%s %s (chunked %v): %d, read %d of %d bytes; want %d", c.method, c.path, c.chunked, rec.Code, read, len(batch), c.want)
		}
	}
	// Over the bulk limit, a bulk route is 413 too.
	small := Limit(Limits{Body: 10, Bulk: 100, Timeout: time.Minute, BulkRoutes: map[string]bool{"POST /batchtransactions": true}},
		http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	rec := httptest.NewRecorder()
	small.ServeHTTP(rec, httptest.NewRequest("POST", "/batchtransactions", strings.NewReader(strings.Repeat("x", 101))))
	if rec.Code != 413 || !strings.Contains(rec.Body.String(), "100 bytes") {
		t.Errorf("over the bulk limit: %d %s", rec.Code, rec.Body)
	}
}
