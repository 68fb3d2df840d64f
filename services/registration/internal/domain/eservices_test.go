package domain

import (
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

func TestParseDocumentURL(t *testing.T) {
	const id = "01a2157b-686c-7165-858b-300bc34504d0"
	tests := []struct {
		in   string
		want bool
	}{
		{"/documents/" + id, true},
		{"https://gw.example/r1/EE/GOV/1/reg/registration/documents/" + id, true},
		{"http://localhost:8080/documents/" + id, true},
		{"documents/" + id, false},
		{"/documents/not-a-uuid", false},
		{"/files/" + id, false},
		{"ftp://x/documents/" + id, false},
		{"/documents/" + id + "?download=1", false},
		{"//evil.example/documents/" + id, false},
	}
	for _, tt := range tests {
		got, ok := ParseDocumentURL(tt.in)
		if ok != tt.want || (ok && got != id) {
			t.Errorf("ParseDocumentURL(%q) = %q, %v; want ok=%v", tt.in, got, ok, tt.want)
		}
	}
}

func FuzzParseDocumentURL(f *testing.F) {
	f.Add("/documents/01a2157b-686c-7165-858b-300bc34504d0")
	f.Add("https://x/documents/%zz")
	f.Fuzz(func(t *testing.T, s string) {
		if id, ok := ParseDocumentURL(s); ok && len(id) != 36 {
			t.Fatalf("id %q from %q", id, s)
		}
	})
}

func TestParsePage(t *testing.T) {
	p, err := ParsePage(0, 0, "", "")
	if err != nil || p.Limit != DefaultMaxResult || !p.Desc || p.SortBy != "created" {
		t.Fatalf("defaults: %+v, %v", p, err)
	}
	p, err = ParsePage(10, 500, "registered", "ASC")
	if err != nil || p.Offset != 10 || p.Limit != 500 || p.Desc || p.SortBy != "registered" {
		t.Fatalf("explicit: %+v, %v", p, err)
	}
	_, err = ParsePage(-1, 501, "name", "up")
	e, ok := apierr.As(err)
	if !ok || len(e.Violations) != 4 {
		t.Fatalf("bad paging: %v", err)
	}
}

func TestParseDecision(t *testing.T) {
	for word, want := range map[string]string{"approve": StatusApproved, "Reject": StatusRejected, " sendback ": StatusSendBack} {
		if got, err := ParseDecision(word); err != nil || got != want {
			t.Errorf("ParseDecision(%q) = %q, %v", word, got, err)
		}
	}
	if _, err := ParseDecision("approved"); apierr.KindOf(err) != apierr.KindInvalidArgument {
		t.Errorf("unknown decision: %v", err)
	}
}

func TestStatisticsPeriods(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(DateLayout, s); return d }
	tests := []struct{ tf, in, start, end string }{
		{"day", "2026-02-11", "2026-02-11", "2026-02-11"},
		{"week", "2026-02-11", "2026-02-09", "2026-02-15"}, // Wednesday → Monday..Sunday
		{"week", "2026-02-15", "2026-02-09", "2026-02-15"},
		{"month", "2024-02-11", "2024-02-01", "2024-02-29"},
		{"year", "2026-07-04", "2026-01-01", "2026-12-31"},
	}
	for _, tt := range tests {
		s := PeriodStart(tt.tf, day(tt.in))
		if s.Format(DateLayout) != tt.start || PeriodEnd(tt.tf, s).Format(DateLayout) != tt.end {
			t.Errorf("%s of %s: %s..%s, want %s..%s", tt.tf, tt.in, s.Format(DateLayout), PeriodEnd(tt.tf, s).Format(DateLayout), tt.start, tt.end)
		}
	}
	q, err := ParseStatsQuery("2026-01-15", "2026-03-10", "", "", "", "month")
	if err != nil {
		t.Fatal(err)
	}
	rows := BucketStats(q, map[time.Time]StatsCounts{day("2026-02-01"): {Processed: 3}})
	if len(rows) != 3 || rows[0].Start != day("2026-01-15") || rows[2].End != day("2026-03-10") || rows[1].Processed != 3 {
		t.Errorf("rows = %+v", rows)
	}
	for _, bad := range [][3]string{{"2026-1-1", "", ""}, {"", "2026-02-30", ""}, {"2026-02-02", "2026-02-01", ""}, {"", "", "decade"}} {
		if _, err := ParseStatsQuery(bad[0], bad[1], "", "", "", bad[2]); apierr.KindOf(err) != apierr.KindInvalidArgument {
			t.Errorf("ParseStatsQuery(%v) = %v", bad, err)
		}
	}
	if _, err := ParseStatsQuery("2000-01-01", "2026-01-01", "", "", "", "day"); err == nil {
		t.Error("9,000 daily rows accepted")
	}
}
