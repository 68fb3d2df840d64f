package msglog

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/imident"
)

func getOpData(t *testing.T, f *fixture, caller *imident.Client, query string) (int, []OpDataRecord) {
	t.Helper()
	mux := http.NewServeMux()
	f.log.Register(mux)
	req := httptest.NewRequest(http.MethodGet, "/api/v1/opdata?"+query, nil)
	if caller != nil {
		req = req.WithContext(imident.NewContext(req.Context(), *caller))
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	var body struct{ Records []OpDataRecord }
	if rec.Code == http.StatusOK {
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Fatalf("content type %q", ct)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
	}
	return rec.Code, body.Records
}

func TestOpDataShowsACallerOnlyItsOwnRecords(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{}, true)
	const provider = "EE/GOV/P/reg"
	w := f.log.Writer()
	for i := range 6 {
		w.Append(testRecord(i, "EE/GOV/A/app", provider+"/registries")) // A calls P
	}
	for i := range 4 {
		w.Append(testRecord(100+i, "EE/GOV/B/app", provider+"/registries")) // B calls P
	}
	w.Append(testRecord(200, "EE/GOV/B/app", "EE/GOV/Q/other/svc")) // B calls Q
	f.waitRecords(t, 11)
	audit(t, f, "EE/GOV/A/app", "rights.allow", "x", nil) // audit records are never operational data

	clients := map[string]int{"EE/GOV/A/app": 6, "EE/GOV/B/app": 5, provider: 10, "EE/GOV/Q/other": 1, "EE/GOV/C/app": 0}
	for who, want := range clients {
		c, err := imident.Parse(who)
		if err != nil {
			t.Fatal(err)
		}
		code, recs := getOpData(t, f, &c, "limit=1000")
		if code != http.StatusOK || len(recs) != want {
			t.Fatalf("%s: status %d, %d records, want %d", who, code, len(recs), want)
		}
		for _, r := range recs {
			if r.Client != who && !strings.HasPrefix(r.Service, who+"/") {
				t.Fatalf("%s was shown a record of %s calling %s", who, r.Client, r.Service)
			}
		}
	}
	if code, _ := getOpData(t, f, nil, ""); code != http.StatusUnauthorized {
		t.Fatalf("anonymous: %d, want 401", code)
	}
}

func TestOpDataQueryParameters(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{}, true)
	for i := range 5 {
		f.log.Writer().Append(testRecord(i, "EE/GOV/A/app", ""))
	}
	f.waitRecords(t, 5)
	a := imident.Client{Instance: "EE", Class: "GOV", Member: "A", Subsystem: "app"}
	if _, recs := getOpData(t, f, &a, "limit=2"); len(recs) != 2 {
		t.Fatalf("limit=2 gave %d", len(recs))
	}
	future := url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339))
	if _, recs := getOpData(t, f, &a, "from="+future+"&to="+url.QueryEscape(time.Now().Add(2*time.Hour).Format(time.RFC3339))); len(recs) != 0 {
		t.Fatalf("a window in the future gave %d records", len(recs))
	}
	for _, q := range []string{"limit=0", "limit=1001", "limit=ten", "from=yesterday", "to=2026-13-01T00:00:00Z",
		"from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"} {
		if code, _ := getOpData(t, f, &a, q); code != http.StatusBadRequest {
			t.Fatalf("%s: %d, want 400", q, code)
		}
	}
}
