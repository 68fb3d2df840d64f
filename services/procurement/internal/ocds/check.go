package ocds

import (
	"encoding/json"
	"errors"
)

// Check is what the service runs before publishing v — a Release, ReleasePackage or RecordPackage: v as
// JSON must validate against OCDS 1.1.5 + bids, and every release in it (compiled ones included) must use
// only the codes of the open codelists too (CheckCodelists).
func Check(v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := Validate(raw); err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return err
	}
	var errs []error
	for _, r := range releasesIn(doc) {
		errs = append(errs, CheckCodelists(r))
	}
	return errors.Join(errs...)
}

// releasesIn returns the releases a document holds: itself, a package's releases, or records' compiled
// releases.
func releasesIn(doc map[string]any) []map[string]any {
	var out []map[string]any
	switch kindOf(doc) {
	case KindRelease:
		out = append(out, doc)
	case KindReleasePackage:
		for _, r := range doc["releases"].([]any) {
			out = append(out, r.(map[string]any))
		}
	case KindRecordPackage:
		for _, rec := range doc["records"].([]any) {
			if c, ok := rec.(map[string]any)["compiledRelease"].(map[string]any); ok {
				out = append(out, c)
			}
		}
	}
	return out
}
