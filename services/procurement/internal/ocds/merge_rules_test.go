package ocds

import (
	"encoding/json"
	"strings"
	"testing"
)

func releasesJSON(t *testing.T, raw ...string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for i, r := range raw {
		var m map[string]any
		if err := json.Unmarshal([]byte(r), &m); err != nil {
			t.Fatalf("release %d: %v", i, err)
		}
		out = append(out, m)
	}
	return out
}

const head = `"ocid":"ocds-x-1","initiationType":"tender"`

// Each rule of the merging page, on the smallest releases that show it.
func TestCompileRules(t *testing.T) {
	cases := []struct {
		name     string
		releases []string
		want     string // compiled release without tag, id and date
	}{
		{"later release wins, null removes",
			[]string{`{` + head + `,"id":"1","date":"2026-01-01T00:00:00Z","tag":["tender"],"tender":{"id":"t","title":"A","description":"D"}}`,
				`{` + head + `,"id":"2","date":"2026-01-02T00:00:00Z","tag":["tenderUpdate"],"tender":{"id":"t","title":"B","description":null}}`},
			`{` + head + `,"tender":{"id":"t","title":"B"}}`},
		{"releases apply in date order, not given order",
			[]string{`{` + head + `,"id":"2","date":"2026-01-02T00:00:00Z","tag":["tenderUpdate"],"tender":{"id":"t","title":"new"}}`,
				`{` + head + `,"id":"1","date":"2026-01-01T00:00:00Z","tag":["tender"],"tender":{"id":"t","title":"old"}}`},
			`{` + head + `,"tender":{"id":"t","title":"new"}}`},
		{"objects with id merge by id, 1 and \"1\" alike, new ids append",
			[]string{`{` + head + `,"id":"1","date":"2026-01-01T00:00:00Z","tag":["award"],"awards":[{"id":1,"title":"a"},{"id":"2","title":"b"}]}`,
				`{` + head + `,"id":"2","date":"2026-01-02T00:00:00Z","tag":["awardUpdate"],"awards":[{"id":"1","status":"active"},{"id":"3"}]}`},
			`{` + head + `,"awards":[{"id":"1","title":"a","status":"active"},{"id":"2","title":"b"},{"id":"3"}]}`},
		{"wholeListMerge and string arrays replace",
			[]string{`{` + head + `,"id":"1","date":"2026-01-01T00:00:00Z","tag":["tender"],"parties":[{"id":"p","roles":["buyer","payer"],"additionalIdentifiers":[{"scheme":"A","id":"1"}]}]}`,
				`{` + head + `,"id":"2","date":"2026-01-02T00:00:00Z","tag":["tenderUpdate"],"parties":[{"id":"p","roles":["buyer"],"additionalIdentifiers":[{"scheme":"B","id":"2"}]}]}`},
			`{` + head + `,"parties":[{"id":"p","roles":["buyer"],"additionalIdentifiers":[{"scheme":"B","id":"2"}]}]}`},
		{"an extension's array of objects with ids merges by id; without ids it replaces",
			[]string{`{` + head + `,"id":"1","date":"2026-01-01T00:00:00Z","tag":["tender"],"x":[{"id":"a","v":1}],"y":[{"v":1}]}`,
				`{` + head + `,"id":"2","date":"2026-01-02T00:00:00Z","tag":["tenderUpdate"],"x":[{"id":"b","v":2}],"y":[{"v":2}]}`},
			`{` + head + `,"x":[{"id":"a","v":1},{"id":"b","v":2}],"y":[{"v":2}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Compile(releasesJSON(t, tc.releases...))
			if err != nil {
				t.Fatal(err)
			}
			if got["id"] != "ocds-x-1-2026-01-02T00:00:00Z" || got["date"] != "2026-01-02T00:00:00Z" {
				t.Errorf("compiled id/date = %v/%v", got["id"], got["date"])
			}
			delete(got, "tag")
			delete(got, "id")
			delete(got, "date")
			var want any
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatal(err)
			}
			assertJSONEqual(t, "compiled", want, got)
		})
	}
}

func TestVersionedRecordsNullsAndSkipsUnchanged(t *testing.T) {
	releases := releasesJSON(t,
		`{`+head+`,"id":"1","date":"2026-01-01T00:00:00Z","tag":["tender"],"tender":{"id":"t","title":"A","description":"D"}}`,
		`{`+head+`,"id":"2","date":"2026-01-02T00:00:00Z","tag":["tenderUpdate"],"tender":{"id":"t","title":"A","description":null}}`)
	v, err := Versioned(releases)
	if err != nil {
		t.Fatal(err)
	}
	tender := v["tender"].(map[string]any)
	if n := len(tender["title"].([]any)); n != 1 {
		t.Errorf("an unchanged title has %d history entries, want 1", n)
	}
	desc := tender["description"].([]any)
	if len(desc) != 2 || desc[1].(map[string]any)["value"] != nil || desc[1].(map[string]any)["releaseID"] != "2" {
		t.Errorf("a removed description should end with a null from release 2: %v", desc)
	}
	if v["ocid"] != "ocds-x-1" || v["id"] != nil || v["date"] != nil || v["tag"] != nil {
		t.Errorf("versioned top level = ocid %v id %v date %v tag %v", v["ocid"], v["id"], v["date"], v["tag"])
	}
}

func TestMergeRefusesMixedOrUndatedReleases(t *testing.T) {
	cases := map[string][]string{
		"differs from the first": {`{"ocid":"a","date":"2026-01-01T00:00:00Z"}`, `{"ocid":"b","date":"2026-01-01T00:00:00Z"}`},
		"needs a date":           {`{"ocid":"a"}`},
	}
	for want, raw := range cases {
		if _, err := Compile(releasesJSON(t, raw...)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q, got %v", want, err)
		}
	}
	if _, err := Compile(nil); err == nil {
		t.Error("compiling no releases must fail")
	}
}
