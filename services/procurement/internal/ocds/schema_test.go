package ocds

import "testing"

// The merge rules come from the schema's flags (through $refs, with the bids extension merged in).
func TestMergeRulesReadFromTheSchema(t *testing.T) {
	r, err := releaseRules()
	if err != nil {
		t.Fatal(err)
	}
	at := func(path ...string) *node {
		n := r
		for _, p := range path {
			if p == "[]" {
				n = n.items
			} else {
				n = n.prop(p)
			}
			if n == nil {
				t.Fatalf("no rules at %v", path)
			}
		}
		return n
	}
	checks := []struct {
		what string
		ok   bool
	}{
		{"release id omitted", at("id").omit},
		{"release date omitted", at("date").omit},
		{"release tag omitted", at("tag").omit},
		{"parties merged by id", at("parties").idMerge},
		{"party roles replaced", at("parties", "[]", "roles").wholeList},
		{"additionalIdentifiers flagged wholeListMerge", at("parties", "[]", "additionalIdentifiers").wholeList},
		{"item additionalClassifications flagged wholeListMerge", at("tender", "items", "[]", "additionalClassifications").wholeList},
		{"bid details (extension) merged by id", at("bids", "details").idMerge},
		{"bid tenderers merged by id", at("bids", "details", "[]", "tenderers").idMerge},
		{"item classification id flagged versionId", at("tender", "items", "[]", "classification", "id").versionID},
		{"tender status has its closed codelist", at("tender", "status").codelist == "tenderStatus.csv" && !at("tender", "status").open},
		{"party roles' codelist is open", at("parties", "[]", "roles").codelist == "partyRole.csv" && at("parties", "[]", "roles").open},
		{"transactions merged by id", at("contracts", "[]", "implementation", "transactions").idMerge},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: not so in the rules", c.what)
		}
	}
}
