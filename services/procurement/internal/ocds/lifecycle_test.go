package ocds_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
	"github.com/govstackbb/marketplace/services/procurement/internal/ocds/ocdstest"
)

var meta = ocds.PackageMeta{
	URI:           "https://marketplace.example.org/ocds/releasePackages/ocds-abc123-0001",
	Publisher:     ocds.Publisher{Name: "GovStack eMarketplace", Scheme: "GB-COH", UID: "00000000"},
	PublishedDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
	License:       "https://creativecommons.org/licenses/by/4.0/",
}

// Each ending of a process yields releases that validate one by one and as a package, whose open codes
// are in the codelists, and whose record (compiled and versioned) validates too.
func TestLifecycleReleasesAndRecordValidate(t *testing.T) {
	for _, end := range []string{ocdstest.EndPaid, ocdstest.EndCancelled, ocdstest.EndUnsuccessful} {
		t.Run(end, func(t *testing.T) {
			s := ocdstest.Default("ocds-abc123-" + end)
			s.End, s.Amend = end, true
			releases := s.Releases()
			for _, r := range releases {
				mustCheck(t, r.ID, r)
			}
			mustCheck(t, "release package", ocds.NewReleasePackage(meta, releases, nil))
			rec, err := ocds.NewRecord(releases, meta.URI, true)
			if err != nil {
				t.Fatal(err)
			}
			mustCheck(t, "record package", ocds.NewRecordPackage(meta, []ocds.Record{rec}, []string{meta.URI}, nil))
		})
	}
}

// The compiled record of a paid process tells the whole story: the amended value, the opened bids, the
// award, the terminated contract with both milestones met and both payments.
func TestLifecycleCompiledRecordTellsTheStory(t *testing.T) {
	s := ocdstest.Default("ocds-abc123-0001")
	s.Amend = true
	releases := s.Releases()
	rec, err := ocds.NewRecord(releases, meta.URI, false)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ocds.FromMap(rec.CompiledRelease)
	if err != nil {
		t.Fatal(err)
	}
	if c.Tag[0] != ocds.TagCompiled || c.Date != releases[len(releases)-1].Date {
		t.Errorf("compiled tag/date = %v/%v", c.Tag, c.Date)
	}
	if c.Tender.Status != ocds.TenderComplete || c.Tender.Value.Amount != s.Estimate*1.2 || *c.Tender.NumberOfTenderers != 3 {
		t.Errorf("tender = %+v", c.Tender)
	}
	if len(c.Bids.Details) != 3 || len(c.Awards) != 1 || c.Awards[0].Suppliers[0].ID != s.Winner {
		t.Errorf("bids/awards = %+v / %+v", c.Bids, c.Awards)
	}
	con := c.Contracts[0]
	if con.Status != ocds.ContractTerminated || len(con.Implementation.Transactions) != 2 {
		t.Fatalf("contract = %+v", con)
	}
	for _, m := range con.Milestones {
		if m.Status != ocds.MilestoneMet {
			t.Errorf("milestone %s is %s, want met", m.ID, m.Status)
		}
	}
	if len(rec.Releases) != len(releases) || !strings.HasSuffix(rec.Releases[0].URL, "#"+releases[0].ID) {
		t.Errorf("linked releases = %+v", rec.Releases)
	}
}

// Until the opening, a release says how many bids there are and nothing about who bid or for how much.
func TestBidsSealedUntilOpening(t *testing.T) {
	releases := ocdstest.Default("ocds-abc123-0002").Releases()
	var sealed, opened *ocds.Release
	for i := range releases {
		if releases[i].Bids == nil {
			continue
		}
		if sealed == nil {
			sealed = &releases[i]
		} else if opened == nil {
			opened = &releases[i]
		}
	}
	if sealed == nil || opened == nil {
		t.Fatal("want a sealed and an opened bids release")
	}
	raw, _ := json.Marshal(sealed)
	for _, secret := range []string{"details", "GB-COH-00000001", "lowestValidBidValue", "110000"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("sealed release %s shows %q: %s", sealed.ID, secret, raw)
		}
	}
	if sealed.Bids.Statistics[0].Measure != ocds.MeasureBids || sealed.Bids.Statistics[0].Value != 3 {
		t.Errorf("sealed statistics = %+v", sealed.Bids.Statistics)
	}
	if len(opened.Bids.Details) != 3 || opened.Bids.Details[1].Value == nil {
		t.Errorf("opened details = %+v", opened.Bids.Details)
	}
}

func TestEmptyPartsAreAbsent(t *testing.T) {
	raw, err := json.Marshal(ocds.Release{OCID: "ocds-x-1", ID: "1", Date: time.Unix(0, 0).UTC(), Tag: []string{"tender"},
		InitiationType: "tender", Tender: &ocds.Tender{ID: "t", TenderPeriod: &ocds.Period{EndDate: time.Unix(0, 0).UTC()}}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"ocid":"ocds-x-1","id":"1","date":"1970-01-01T00:00:00Z","tag":["tender"],"initiationType":"tender",` +
		`"tender":{"id":"t","tenderPeriod":{"endDate":"1970-01-01T00:00:00Z"}}}`
	if string(raw) != want {
		t.Errorf("got  %s\nwant %s", raw, want)
	}
}

func mustCheck(t *testing.T, what string, v any) {
	t.Helper()
	if err := ocds.Check(v); err != nil {
		t.Errorf("%s: %v", what, err)
	}
}

// Check catches an open-codelist code the schema lets through, in a package's release.
func TestCheckRefusesUnknownOpenCode(t *testing.T) {
	releases := ocdstest.Default("ocds-abc123-0003").Releases()
	releases[0].Parties[0].Roles = append(releases[0].Parties[0].Roles, "boss")
	err := ocds.Check(ocds.NewReleasePackage(meta, releases, nil))
	if err == nil || !strings.Contains(err.Error(), `"/parties/0/roles/2": "boss" is not in the partyRole.csv codelist`) {
		t.Fatalf("want the unknown role named, got %v", err)
	}
}

// Validation, merging and the lazily loaded schema are safe to use from many goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	releases := ocdstest.Default("ocds-abc123-0004").Releases()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 8 {
		wg.Go(func() {
			if _, err := ocds.NewRecord(releases, meta.URI, true); err != nil {
				errs <- err
			}
			errs <- ocds.Check(ocds.NewReleasePackage(meta, releases, nil))
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
