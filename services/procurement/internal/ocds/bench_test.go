package ocds_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
	"github.com/govstackbb/marketplace/services/procurement/internal/ocds/ocdstest"
)

// releasesOf returns n releases of one process: the 5 of tender to contract, then payments.
func releasesOf(b *testing.B, n int) []ocds.Release {
	s := ocdstest.Default("ocds-bench-1")
	s.Payments = n - 5
	r := s.Releases()
	if len(r) != n {
		b.Fatalf("scenario has %d releases, want %d", len(r), n)
	}
	return r
}

// BenchmarkCompileRecord50: the record of a process with 50 releases, compiled (and versioned) by the
// schema-driven merge, from typed releases as the service holds them.
func BenchmarkCompileRecord50(b *testing.B) {
	releases := releasesOf(b, 50)
	for _, versioned := range []bool{false, true} {
		b.Run(fmt.Sprintf("versioned=%v", versioned), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ocds.NewRecord(releases, "https://example.org/p", versioned); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(releases))/b.Elapsed().Seconds(), "releases/s")
		})
	}
}

// BenchmarkValidateReleasePackage100: a release package of 100 releases (10 processes of 10) checked
// against OCDS 1.1.5 + bids, from its JSON bytes.
func BenchmarkValidateReleasePackage100(b *testing.B) {
	var releases []ocds.Release
	for i := range 10 {
		s := ocdstest.Default(fmt.Sprintf("ocds-bench-%02d", i))
		s.Payments = 5
		releases = append(releases, s.Releases()...)
	}
	if len(releases) != 100 {
		b.Fatalf("%d releases, want 100", len(releases))
	}
	raw, err := json.Marshal(ocds.NewReleasePackage(ocds.PackageMeta{URI: "https://example.org/p",
		Publisher: ocds.Publisher{Name: "bench"}}, releases, nil))
	if err != nil {
		b.Fatal(err)
	}
	if err := ocds.Validate(raw); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if err := ocds.Validate(raw); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(releases))/b.Elapsed().Seconds(), "releases/s")
}
