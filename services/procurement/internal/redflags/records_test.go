package redflags

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
	"github.com/govstackbb/marketplace/services/procurement/internal/ocds/ocdstest"
)

// recordOf compiles a scenario's releases by the OCDS merge, as the service's record endpoint does.
func recordOf(t testing.TB, s ocdstest.Scenario) Record {
	t.Helper()
	releases := s.Releases()
	rec, err := ocds.NewRecord(releases, "https://example.org/ocds/releasePackages/"+s.OCID, false)
	if err != nil {
		t.Fatal(err)
	}
	compiled, err := ocds.FromMap(rec.CompiledRelease)
	if err != nil {
		t.Fatal(err)
	}
	return Record{Compiled: compiled, Releases: releases}
}

// A set of compiled records, one per flag plus clean ones: each flag names exactly the processes it
// should, and the clean processes are never flagged.
func TestAllOverCompiledRecords(t *testing.T) {
	scenario := func(ocid, buyer string, change func(*ocdstest.Scenario)) ocdstest.Scenario {
		s := ocdstest.Default(ocid)
		s.Buyer, s.Winner = buyer, s.Bidders[1]
		if change != nil {
			change(&s)
		}
		return s
	}
	scenarios := []ocdstest.Scenario{
		scenario("ocds-t-clean", "B-clean", nil),
		scenario("ocds-t-cancelled", "B-cancel", func(s *ocdstest.Scenario) { s.End = ocdstest.EndCancelled }),
		scenario("ocds-t-unsuccessful", "B-unsucc", func(s *ocdstest.Scenario) { s.End = ocdstest.EndUnsuccessful }),
		scenario("ocds-t-single", "B-single", func(s *ocdstest.Scenario) { s.Bidders, s.Winner = s.Bidders[:1], s.Bidders[0] }),
		scenario("ocds-t-short", "B-short", func(s *ocdstest.Scenario) { s.TenderDays, s.EnquiryDays = 7, 3 }),
		scenario("ocds-t-amended", "B-amend", func(s *ocdstest.Scenario) { s.Amend = true }),
		scenario("ocds-t-dear", "B-dear", func(s *ocdstest.Scenario) { s.AwardValue = 2 * s.Estimate }),
	}
	for i := 1; i <= 3; i++ {
		scenarios = append(scenarios, scenario(fmt.Sprintf("ocds-t-repeat-%d", i), "B-repeat", func(s *ocdstest.Scenario) {
			s.Winner = "GB-COH-FRIEND"
			s.Bidders = append([]string{s.Winner}, s.Bidders[1:]...)
		}))
	}
	var records []Record
	for _, s := range scenarios {
		records = append(records, recordOf(t, s))
	}
	got := map[Indicator][][]string{}
	for _, f := range All(records, Rules{}) {
		got[f.Indicator] = append(got[f.Indicator], f.OCIDs)
		if f.Reason == "" || f.Title == "" {
			t.Errorf("%s flag on %v gives no reason or title", f.Indicator, f.OCIDs)
		}
	}
	want := map[Indicator][][]string{
		SingleBid:               {{"ocds-t-single"}},
		ShortTenderPeriod:       {{"ocds-t-short"}},
		ChangedAfterPublication: {{"ocds-t-amended"}},
		AwardAboveEstimate:      {{"ocds-t-dear"}},
		RepeatedAwards:          {{"ocds-t-repeat-1", "ocds-t-repeat-2", "ocds-t-repeat-3"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("flags:\n got  %v\n want %v", got, want)
	}
}
