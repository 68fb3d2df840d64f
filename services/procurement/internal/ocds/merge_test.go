package ocds

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// The official merging examples: each set of releases compiles (and versions) to the record the standard
// publishes, compared as JSON values. A record that embeds its releases is merged from those (example02's
// separate tender package differs from the release embedded in its record: another date, a tenderPeriod);
// merged.json and versioned.json link theirs, so they are merged from the release packages they name,
// given out of date order on purpose.
var mergingExamples = []struct {
	record string
	inputs []string
}{
	{"merged.json", []string{"merge-tender-1.json", "merge-tender-2.json", "merge-tender-3.json", "merge-award-1.json", "merge-award-2.json"}},
	{"versioned.json", []string{"merge-award-2.json", "merge-tender-1.json", "merge-award-1.json", "merge-tender-3.json", "merge-tender-2.json"}},
	{"example02-field-record.json", nil},
	{"example02-object-record.json", nil},
	{"example03-record.json", nil},
}

func TestMergeOfficialExamples(t *testing.T) {
	for _, ex := range mergingExamples {
		t.Run(ex.record, func(t *testing.T) {
			var releases []map[string]any
			for _, in := range ex.inputs {
				var pkg struct{ Releases []map[string]any }
				readExample(t, "merging/"+in, &pkg)
				releases = append(releases, pkg.Releases...)
			}
			var want struct{ Records []map[string]any }
			readExample(t, "merging/"+ex.record, &want)
			if ex.inputs == nil {
				releases = embeddedReleases(t, want.Records[0])
			}
			compiled, err := Compile(releases)
			if err != nil {
				t.Fatal(err)
			}
			assertJSONEqual(t, "compiledRelease", want.Records[0]["compiledRelease"], compiled)
			if want.Records[0]["versionedRelease"] == nil {
				return
			}
			versioned, err := Versioned(releases)
			if err != nil {
				t.Fatal(err)
			}
			assertJSONEqual(t, "versionedRelease", want.Records[0]["versionedRelease"], versioned)
		})
	}
}

func embeddedReleases(t *testing.T, record map[string]any) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range record["releases"].([]any) {
		out = append(out, r.(map[string]any))
	}
	return out
}

func readExample(t testing.TB, name string, v any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// assertJSONEqual compares two JSON values after a round trip, so Go types do not matter.
func assertJSONEqual(t *testing.T, what string, want, got any) {
	t.Helper()
	w, g := roundTrip(t, want), roundTrip(t, got)
	if !reflect.DeepEqual(w, g) {
		wb, _ := json.MarshalIndent(w, "", " ")
		gb, _ := json.MarshalIndent(g, "", " ")
		t.Errorf("%s differs from the expected one\nwant: %s\ngot:  %s", what, wb, gb)
	}
}

func roundTrip(t *testing.T, v any) any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
