package redflags

import (
	"fmt"
	"reflect"
	"sort"
	"time"

	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
)

// FindChangesAfterPublication flags processes whose tender value, items or periods changed in a
// tenderUpdate or tenderAmendment release after the tender release, naming each change: late changes
// can favour a bidder told in advance. The guides flag changes to a published tender (paraphrased; the
// exact indicator name was not verifiable offline); Prozorro's monitoring watches the same.
func FindChangesAfterPublication(records []Record) []Flag {
	var out []Flag
	for _, rec := range records {
		if changes := tenderChanges(rec.Releases); len(changes) > 0 {
			out = append(out, Flag{Indicator: ChangedAfterPublication, OCIDs: []string{rec.Compiled.OCID},
				Reason: "changed after publication: " + joinChanges(changes)})
		}
	}
	return out
}

// tenderChanges compares each update's tender with the state before it, from the first tender release on.
func tenderChanges(releases []ocds.Release) []string {
	sorted := append([]ocds.Release(nil), releases...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Date.Before(sorted[j].Date) })
	var published *ocds.Tender
	var changes []string
	for _, r := range sorted {
		switch {
		case r.Tender == nil:
		case published == nil && hasTag(r, ocds.TagTender):
			t := *r.Tender
			published = &t
		case published != nil && (hasTag(r, ocds.TagTenderUpdate) || hasTag(r, ocds.TagTenderAmendment)):
			changes = append(changes, diffTender(published, r.Tender, r.Date)...)
			t := *r.Tender
			published = &t
		}
	}
	return changes
}

func hasTag(r ocds.Release, tag string) bool {
	for _, t := range r.Tag {
		if t == tag {
			return true
		}
	}
	return false
}

// diffTender lists the watched fields that differ. A field the update leaves out is not a change: a
// release repeats only what it touches.
func diffTender(before, after *ocds.Tender, at time.Time) []string {
	var out []string
	when := at.UTC().Format(time.DateOnly)
	if after.Value != nil && before.Value != nil && *after.Value != *before.Value {
		out = append(out, fmt.Sprintf("value %.2f %s → %.2f %s on %s",
			before.Value.Amount, before.Value.Currency, after.Value.Amount, after.Value.Currency, when))
	}
	if after.Items != nil && !reflect.DeepEqual(after.Items, before.Items) {
		out = append(out, fmt.Sprintf("items changed on %s", when))
	}
	out = append(out, diffPeriod("tenderPeriod", before.TenderPeriod, after.TenderPeriod, when)...)
	out = append(out, diffPeriod("enquiryPeriod", before.EnquiryPeriod, after.EnquiryPeriod, when)...)
	return out
}

func diffPeriod(name string, before, after *ocds.Period, when string) []string {
	if after == nil || before == nil {
		return nil
	}
	var out []string
	if !after.StartDate.Equal(before.StartDate) {
		out = append(out, fmt.Sprintf("%s.startDate %s → %s on %s", name, day(before.StartDate), day(after.StartDate), when))
	}
	if !after.EndDate.Equal(before.EndDate) {
		out = append(out, fmt.Sprintf("%s.endDate %s → %s on %s", name, day(before.EndDate), day(after.EndDate), when))
	}
	return out
}

func day(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.UTC().Format(time.DateOnly)
}
