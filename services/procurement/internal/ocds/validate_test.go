package ocds

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Documentation fragments among the merging examples that are not valid packages on purpose (see
// /work/shared/ocds/SOURCE.md): empty uri/publishedDate and the pre-1.1 tag "awardAmendment".
var knownInvalid = map[string]string{
	"example02-field-record.json":   `"/uri"`,
	"example02-object-record.json":  `"/publishedDate"`,
	"example03-awardAmendment.json": `"/releases/0/tag/0"`,
	"example03-record.json":         `"/records/0/releases/0/tag/0"`,
}

// Every official package example (and every merging example but the known fragments) validates against
// 1.1.5 + bids; the fragments fail naming the place.
func TestOfficialExamplesValidate(t *testing.T) {
	for _, dir := range []string{"", "merging"} {
		files, err := filepath.Glob(filepath.Join("testdata", "examples", dir, "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no examples in %q: %v", dir, err)
		}
		for _, f := range files {
			t.Run(filepath.Base(f), func(t *testing.T) {
				raw, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				err = Validate(raw)
				if where, bad := knownInvalid[filepath.Base(f)]; bad {
					if err == nil || !strings.Contains(err.Error(), where) {
						t.Errorf("want an error at %s, got %v", where, err)
					}
					return
				}
				if err != nil {
					t.Error(err)
				}
			})
		}
	}
}

// Broken documents fail with a message naming the JSON pointer and the fault.
func TestBrokenDocumentsNameThePlace(t *testing.T) {
	tender := mustRead(t, "tender.json")
	cases := []struct {
		name, from, to string
		wantPointer    string
		wantMessage    string
	}{
		{"closed codelist: tender status", `"status": "active"`, `"status": "open"`, "/releases/0/tender/status", "value must be one of"},
		{"closed codelist: release tag", `"tender"
      ]`, `"tenderStarted"
      ]`, "/releases/0/tag/0", "value must be one of"},
		{"missing ocid", `"ocid": "ocds-213czf-000-00001",`, ``, "/releases/0/ocid", "missing property"},
		{"bad date", `"date": "2010-03-15T09:30:00Z"`, `"date": "15/03/2010"`, "/releases/0/date", "date-time"},
		{"empty package uri", `"uri": "https://standard.open-contracting.org/examples/releases/ocds-213czf-000-00001-02-tender.json"`, `"uri": ""`, "/uri", ""},
		{"bad currency", `"currency": "GBP"`, `"currency": "GPB"`, "/releases/0/tender/items/0/unit/value/currency", "GPB is not a code of the closed codelist"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			broken := strings.Replace(tender, tc.from, tc.to, 1)
			if broken == tender {
				t.Fatalf("the example does not contain %q", tc.from)
			}
			err := Validate([]byte(broken))
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("want a ValidationError, got %v", err)
			}
			if !strings.Contains(err.Error(), `"`+tc.wantPointer+`"`) || !strings.Contains(err.Error(), tc.wantMessage) {
				t.Errorf("error %q does not name %q with %q", err, tc.wantPointer, tc.wantMessage)
			}
		})
	}
}

func TestValidateBidsExtension(t *testing.T) {
	release := `{"ocid":"ocds-x-1","id":"r1","date":"2026-01-01T00:00:00Z","tag":["tenderUpdate"],"initiationType":"tender",
	  "bids":{"details":[{"id":"b1","status":"%s"}]}}`
	if err := Validate([]byte(strings.Replace(release, "%s", "valid", 1))); err != nil {
		t.Fatalf("a valid bid is refused: %v", err)
	}
	err := Validate([]byte(strings.Replace(release, "%s", "opened", 1)))
	if err == nil || !strings.Contains(err.Error(), `"/bids/details/0/status"`) {
		t.Fatalf("an unknown bid status must be refused at its pointer, got %v", err)
	}
}

// A record package is checked down to its compiled release.
func TestBrokenRecordPackageNamesThePlace(t *testing.T) {
	merged := mustRead(t, "merging/merged.json")
	broken := strings.Replace(merged, `"awardCriteria": "bestProposal"`, `"awardCriteria": 7`, 1)
	if broken == merged {
		t.Fatal("merged.json has no awardCriteria to break")
	}
	err := Validate([]byte(broken))
	if err == nil || !strings.Contains(err.Error(), `"/records/0/compiledRelease/tender/awardCriteria"`) {
		t.Fatalf("want an error at the compiled release's awardCriteria, got %v", err)
	}
}

func TestValidateNotJSON(t *testing.T) {
	if err := Validate([]byte(`{"ocid":`)); err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Fatalf("want a not-JSON error, got %v", err)
	}
}

func mustRead(t testing.TB, name string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
