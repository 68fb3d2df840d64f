package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
)

// Publications reads the OCDS releases the use cases appended (each one the JSON of an ocds.Release).
type Publications interface {
	// ReleasePage returns the releases q selects, oldest first, at most q.Limit+1.
	ReleasePage(ctx context.Context, q ocds.PageQuery) ([][]byte, error)
	// ReleasesOf returns every release of one process, oldest first.
	ReleasesOf(ctx context.Context, ocid string) ([][]byte, error)
	// ReleaseCounts is how many releases each process has (releases are only appended).
	ReleaseCounts(ctx context.Context) (map[string]int, error)
}

// Publisher is what the OCDS packages say about who publishes them and where.
type Publisher struct {
	// BaseURL is where the gateway serves the API, e.g. https://marketplace.example.org: packages' uri
	// and links.next are built on it.
	BaseURL           string
	Name              string
	License           string
	PublicationPolicy string
}

// Paging of the release list.
const (
	DefaultReleasePage = 100
	MaxReleasePage     = 1000
)

// OCDS paths under the gateway.
const (
	PathReleasePackages = "/ocds/releasePackages"
	PathRecordPackages  = "/ocds/recordPackages"
)

func (s *Service) meta(path string, q url.Values) ocds.PackageMeta {
	u := strings.TrimRight(s.Publisher.BaseURL, "/") + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return ocds.PackageMeta{URI: u, Publisher: ocds.Publisher{Name: s.Publisher.Name}, PublishedDate: s.now(),
		License: s.Publisher.License, PublicationPolicy: s.Publisher.PublicationPolicy}
}

// ReleasePackages is one page of every process's releases; q holds since, until, limit and cursor.
func (s *Service) ReleasePackages(ctx context.Context, q url.Values) (ocds.ReleasePackage, error) {
	pq, err := ocds.ParsePageQuery(q, DefaultReleasePage, MaxReleasePage)
	if err != nil {
		return ocds.ReleasePackage{}, queryError(err)
	}
	raws, err := s.Releases.ReleasePage(ctx, pq)
	if err != nil {
		return ocds.ReleasePackage{}, err
	}
	releases, err := decodeReleases(raws)
	if err != nil {
		return ocds.ReleasePackage{}, err
	}
	var next *ocds.Cursor
	if len(releases) > pq.Limit {
		releases = releases[:pq.Limit]
		last := releases[len(releases)-1]
		next = &ocds.Cursor{Date: last.Date, ID: last.ID}
	}
	meta := s.meta(PathReleasePackages, q)
	self, _ := url.Parse(meta.URI)
	return ocds.NewReleasePackage(meta, releases, ocds.NextLinks(self, next)), nil
}

// ReleasePackage is every release of one process.
func (s *Service) ReleasePackage(ctx context.Context, ocid string) (ocds.ReleasePackage, error) {
	releases, err := s.releasesOf(ctx, ocid)
	if err != nil {
		return ocds.ReleasePackage{}, err
	}
	return ocds.NewReleasePackage(s.meta(PathReleasePackages+"/"+url.PathEscape(ocid), nil), releases, nil), nil
}

// RecordPackage is the record of one process: its releases linked, its compiled release by the OCDS merge
// and, when versioned, its versioned release. The package is checked against the schema before it goes out.
func (s *Service) RecordPackage(ctx context.Context, ocid string, versioned bool) (ocds.RecordPackage, error) {
	releases, err := s.releasesOf(ctx, ocid)
	if err != nil {
		return ocds.RecordPackage{}, err
	}
	pkgURL := s.meta(PathReleasePackages+"/"+url.PathEscape(ocid), nil).URI
	rec, err := ocds.NewRecord(releases, pkgURL, versioned)
	if err != nil {
		return ocds.RecordPackage{}, err
	}
	pkg := ocds.NewRecordPackage(s.meta(PathRecordPackages+"/"+url.PathEscape(ocid), nil), []ocds.Record{rec}, []string{pkgURL}, nil)
	if err := ocds.Check(pkg); err != nil {
		return ocds.RecordPackage{}, fmt.Errorf("record of %s: %w", ocid, err)
	}
	return pkg, nil
}

func (s *Service) releasesOf(ctx context.Context, ocid string) ([]ocds.Release, error) {
	if strings.TrimSpace(ocid) == "" || len(ocid) > 200 {
		return nil, apierr.Invalid("INVALID_OCID", "ocid: the process's Open Contracting ID, e.g. "+s.OCIDPrefix+"-…",
			apierr.FieldViolation{Field: "ocid", Description: "required, at most 200 characters"})
	}
	raws, err := s.Releases.ReleasesOf(ctx, ocid)
	if err != nil {
		return nil, err
	}
	if len(raws) == 0 {
		return nil, apierr.NotFound("OCID_NOT_FOUND", "no contracting process "+ocid+" is published: GET "+PathReleasePackages+" lists them")
	}
	return decodeReleases(raws)
}

func decodeReleases(raws [][]byte) ([]ocds.Release, error) {
	out := make([]ocds.Release, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			return nil, fmt.Errorf("stored OCDS release: %w", err)
		}
	}
	return out, nil
}

// queryError turns ocds.ParsePageQuery's message ("since: want …") into a 400 naming the parameter.
func queryError(err error) error {
	msg := err.Error()
	field, _, _ := strings.Cut(msg, ":")
	if strings.Contains(field, " ") {
		field, _, _ = strings.Cut(field, " ")
	}
	return apierr.Invalid("INVALID_QUERY", msg, apierr.FieldViolation{Field: field, Description: msg})
}
