package procurement

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	procv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
)

// TestPagingWhileReleasesAreAppended: a reader pages through /ocds/releasePackages three at a time and,
// between its pages, tenders are published (each appending a release dated later): no release comes twice,
// every release there when the reader started is read, and so is every one appended meanwhile — appends
// never shift a page.
func TestPagingWhileReleasesAreAppended(t *testing.T) {
	w := newWorld(t)
	for range 10 {
		w.tick(time.Second)
		w.publishWithBids(map[string]string{"C1": "9000.00"})
	}
	before, err := w.st.ReleasePage(w.ctx, ocds.PageQuery{Limit: 10000})
	w.must(err)

	seen, appended := map[string]bool{}, 0
	req := &procv1.ListReleasePackagesRequest{Limit: 3}
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("paging does not end")
		}
		body, err := w.ocds.ListReleasePackages(w.ctx, req)
		w.must(err)
		var page ocds.ReleasePackage
		w.must(json.Unmarshal(body.Data, &page))
		for _, r := range page.Releases {
			if seen[r.ID] {
				t.Fatalf("release %s came twice", r.ID)
			}
			seen[r.ID] = true
		}
		if page.Links == nil {
			break
		}
		if appended < 10 { // between two pages, a tender is published: one release more, dated later
			w.tick(time.Second)
			tender, err := w.uc.CreateTender(w.ctx, buyer, draft())
			w.must(err)
			_, err = w.uc.PublishTender(w.ctx, buyer, tender.ID)
			w.must(err)
			appended++
		}
		next, err := url.Parse(page.Links.Next)
		w.must(err)
		req.Cursor = next.Query().Get(ocds.ParamCursor)
	}
	for _, raw := range before {
		var r ocds.Release
		w.must(json.Unmarshal(raw, &r))
		if !seen[r.ID] {
			t.Fatalf("release %s, there before paging began, was skipped", r.ID)
		}
	}
	if want := len(before) + appended; len(seen) != want {
		t.Fatalf("read %d releases, want the %d there before and the %d appended meanwhile", len(seen), len(before), appended)
	}
}
