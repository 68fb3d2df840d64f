package e2e

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"
)

// paidStoryTags is the release tags of the paid path in TestProcurementFromDraftToPaidAndClosed, in order:
// the publication; the answer, the two bids (their count only) and the opening; the award and the end of its
// standstill; the contract; the first delivery, the two payments, the second delivery and the completion.
const paidStoryTags = "tender tenderUpdate tenderUpdate tenderUpdate tenderUpdate award awardUpdate contract " +
	"implementation implementationUpdate implementationUpdate implementationUpdate implementationUpdate"

// ocdsRecord is what the paid path's record must agree with the API on.
type ocdsRecord struct {
	Records []struct {
		CompiledRelease struct {
			Tender struct{ Status string } `json:"tender"`
			Awards []struct {
				ID        string
				Status    string
				Value     struct{ Amount float64 }
				Suppliers []struct{ ID string }
			} `json:"awards"`
			Contracts []struct {
				ID             string
				AwardID        string
				Status         string
				Implementation struct {
					Transactions []struct {
						Value struct{ Amount float64 }
					}
				}
			} `json:"contracts"`
		} `json:"compiledRelease"`
	} `json:"records"`
}

// checkPaidStory validates the process's release and record packages (OCDS 1.1.5 + bids) as the gateway
// serves them and checks that they tell the API's story: the tag sequence, the award's supplier and value,
// the contract, one transaction per paid milestone summing to the award, and the process complete.
func checkPaidStory(t *testing.T, s *stack, ocid string, award, contract map[string]any) {
	t.Helper()
	r := s.do(t, "GET", "/ocds/releasePackages/"+url.PathEscape(ocid), "", nil)
	expect(t, r, 200)
	valid(t, r.body)
	var pkg struct{ Releases []struct{ Tag []string } }
	if err := json.Unmarshal([]byte(r.body), &pkg); err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, rel := range pkg.Releases {
		tags = append(tags, rel.Tag...)
	}
	if got := strings.Join(tags, " "); got != paidStoryTags {
		t.Errorf("OCDS tags:\n got %s\nwant %s", got, paidStoryTags)
	}

	r = s.do(t, "GET", "/ocds/recordPackages/"+url.PathEscape(ocid), "", nil)
	expect(t, r, 200)
	valid(t, r.body)
	var rec ocdsRecord
	if err := json.Unmarshal([]byte(r.body), &rec); err != nil || len(rec.Records) != 1 {
		t.Fatalf("record package: %v %s", err, r.body)
	}
	c := rec.Records[0].CompiledRelease
	if len(c.Awards) != 1 || len(c.Contracts) != 1 || len(c.Awards[0].Suppliers) != 1 {
		t.Fatalf("the record has %d awards, %d contracts: %s", len(c.Awards), len(c.Contracts), r.body)
	}
	var paid float64
	for _, tx := range c.Contracts[0].Implementation.Transactions {
		paid += tx.Value.Amount
	}
	value := amount(t, award["value"])
	checks := map[string][2]any{
		"tender status":   {c.Tender.Status, "complete"},
		"award":           {c.Awards[0].ID, award["id"]},
		"award supplier":  {c.Awards[0].Suppliers[0].ID, award["companyId"]},
		"award value":     {c.Awards[0].Value.Amount, value},
		"contract":        {c.Contracts[0].ID + " " + c.Contracts[0].AwardID, fmt.Sprint(contract["id"], " ", award["id"])},
		"contract status": {c.Contracts[0].Status, "terminated"},
		"transactions":    {len(c.Contracts[0].Implementation.Transactions), len(contract["milestones"].([]any))},
		"paid total":      {math.Round(paid*100) / 100, value},
	}
	for name, pair := range checks {
		if fmt.Sprint(pair[0]) != fmt.Sprint(pair[1]) {
			t.Errorf("%s: OCDS says %v, the API %v", name, pair[0], pair[1])
		}
	}
}

// amount reads the API's decimal string (e.g. "9500.00") as OCDS's number.
func amount(t *testing.T, v any) float64 {
	t.Helper()
	var f float64
	if _, err := fmt.Sscan(fmt.Sprint(v), &f); err != nil {
		t.Fatalf("amount %v: %v", v, err)
	}
	return f
}
