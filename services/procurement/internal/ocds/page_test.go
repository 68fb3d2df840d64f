package ocds

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

func releasesAt(dates ...string) []Release {
	var out []Release
	for i, d := range dates {
		t, _ := time.Parse(time.RFC3339, d)
		out = append(out, Release{OCID: "ocds-x-1", ID: fmt.Sprintf("r%d", i), Date: t})
	}
	return out
}

// Walking the pages with links.next visits every release in the range once, oldest first, even where
// several share a date.
func TestPageReleasesWalk(t *testing.T) {
	all := releasesAt("2026-01-03T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-02T00:00:00Z",
		"2026-01-02T00:00:00Z", "2026-02-01T00:00:00Z", "2025-12-31T00:00:00Z")
	req, _ := url.Parse("https://m.example.org/ocds/releasePackages?since=2026-01-01&until=2026-02-01&limit=2")
	var seen []string
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		q, err := ParsePageQuery(req.Query(), 100, 1000)
		if err != nil {
			t.Fatal(err)
		}
		page, next := PageReleases(all, q)
		for _, r := range page {
			seen = append(seen, r.ID)
		}
		links := NextLinks(req, next)
		if links == nil {
			break
		}
		if req, err = url.Parse(links.Next); err != nil {
			t.Fatal(err)
		}
		if req.Query().Get(ParamSince) != "2026-01-01" {
			t.Fatalf("next link lost the filter: %s", links.Next)
		}
	}
	if got := strings.Join(seen, ","); got != "r1,r2,r3,r4,r0" {
		t.Errorf("visited %s, want r1,r2,r3,r4,r0", got)
	}
}

func TestParsePageQueryErrorsNameTheParameter(t *testing.T) {
	cases := map[string]string{
		"since=yesterday":                   "since: want an RFC 3339",
		"until=2026-13-01":                  "until: want an RFC 3339",
		"since=2026-02-01&until=2026-01-01": "since must be before until",
		"limit=0":                           "limit: want a whole number from 1 to 1000",
		"limit=5000":                        "limit: want a whole number from 1 to 1000",
		"cursor=%%%":                        "cursor: not a cursor",
		"cursor=" + Cursor{ID: ""}.String(): "cursor: not a cursor",
	}
	for raw, want := range cases {
		q, err := url.ParseQuery(raw)
		if err != nil {
			q = url.Values{ParamCursor: {"%%%"}}
		}
		if _, err := ParsePageQuery(q, 100, 1000); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want %q, got %v", raw, want, err)
		}
	}
}

func TestCursorRoundTrip(t *testing.T) {
	c := Cursor{Date: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), ID: "ocds-x-1-02 tender"}
	got, err := ParseCursor(c.String())
	if err != nil || !got.Date.Equal(c.Date) || got.ID != c.ID {
		t.Fatalf("round trip gave %+v, %v", got, err)
	}
}
