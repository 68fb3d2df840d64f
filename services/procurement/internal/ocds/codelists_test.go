package ocds

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

// Every closed codelist the schema names is an enum equal to the codelist's codes, so Validate enforces
// it without a separate check (release tags, tender, award, contract, milestone and bid status,
// procurement method, currency...). A schema update that drops an enum fails here.
func TestClosedCodelistsAreEnforced(t *testing.T) {
	var doc map[string]any
	if err := readJSON(releaseSchemaFile, &doc); err != nil {
		t.Fatal(err)
	}
	closed := 0
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if list, ok := v["codelist"].(string); ok && v["openCodelist"] == false {
				closed++
				assertEnumIsCodelist(t, at, v, list)
			}
			for k, e := range v {
				walk(at+"/"+k, e)
			}
		case []any:
			for _, e := range v {
				walk(at, e)
			}
		}
	}
	walk("", doc)
	if closed < 10 {
		t.Fatalf("found only %d closed codelists in the schema", closed)
	}
}

func assertEnumIsCodelist(t *testing.T, at string, s map[string]any, list string) {
	t.Helper()
	enum, _ := s["enum"].([]any)
	if enum == nil {
		items, _ := s["items"].(map[string]any)
		enum, _ = items["enum"].([]any)
	}
	var got []string
	for _, e := range enum {
		if e != nil {
			got = append(got, e.(string))
		}
	}
	codes, err := Codes(list)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for c := range codes {
		want = append(want, c)
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s: enum %v differs from %s %v", at, got, list, want)
	}
}

func TestCheckCodelistsOpenCodes(t *testing.T) {
	var release map[string]any
	raw := `{"ocid":"ocds-x-1","id":"r1","date":"2026-01-01T00:00:00Z","tag":["tender"],"initiationType":"tender",
	  "parties":[{"id":"p1","roles":["buyer","boss"]}],
	  "tender":{"id":"t1","awardCriteria":"priceOnly","submissionMethod":["electronicSubmission","pigeon"],
	    "items":[{"id":"i1","classification":{"scheme":"CPV","id":"30200000"}}],
	    "documents":[{"id":"d1","documentType":"tenderNotice"}]},
	  "contracts":[{"id":"c1","awardID":"a1","milestones":[{"id":"m1","type":"delivery"}]}]}`
	if err := json.Unmarshal([]byte(raw), &release); err != nil {
		t.Fatal(err)
	}
	err := CheckCodelists(release)
	if err == nil {
		t.Fatal("unknown open codes must be reported")
	}
	for _, want := range []string{`"/parties/0/roles/1": "boss" is not in the partyRole.csv codelist`,
		`"/tender/submissionMethod/1": "pigeon" is not in the submissionMethod.csv codelist`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %s", err, want)
		}
	}
	if strings.Count(err.Error(), "codelist") != 2 {
		t.Errorf("only the two unknown codes are problems: %v", err)
	}
}
