package ocds

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// PackageVersion is the OCDS schema version packages declare ("1.1" covers 1.1.x).
const PackageVersion = "1.1"

// BidsExtensionURL is the bids extension's extension.json at the tag the embedded schema merges in.
const BidsExtensionURL = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json"

// Publisher is who publishes the data.
type Publisher struct {
	Name   string `json:"name"`
	Scheme string `json:"scheme,omitempty"`
	UID    string `json:"uid,omitempty"`
	URI    string `json:"uri,omitempty"`
}

// PackageMeta is what every package of the service says about itself.
type PackageMeta struct {
	URI               string // the URL the package is served at
	Publisher         Publisher
	PublishedDate     time.Time
	License           string
	PublicationPolicy string
}

// Links are the next/previous pages of a paged package (OCDS API guidance; the schema allows them).
type Links struct {
	Next string `json:"next,omitempty"`
	Prev string `json:"prev,omitempty"`
}

// PackageHeader is what release and record packages both say about themselves.
type PackageHeader struct {
	URI               string    `json:"uri"`
	Version           string    `json:"version"`
	Extensions        []string  `json:"extensions,omitempty"`
	PublishedDate     time.Time `json:"publishedDate"`
	Publisher         Publisher `json:"publisher"`
	License           string    `json:"license,omitempty"`
	PublicationPolicy string    `json:"publicationPolicy,omitempty"`
}

func header(meta PackageMeta) PackageHeader {
	return PackageHeader{
		URI: meta.URI, Version: PackageVersion, Extensions: []string{BidsExtensionURL},
		PublishedDate: meta.PublishedDate, Publisher: meta.Publisher, License: meta.License,
		PublicationPolicy: meta.PublicationPolicy,
	}
}

// ReleasePackage wraps releases for publication.
type ReleasePackage struct {
	PackageHeader
	Releases []Release `json:"releases"`
	Links    *Links    `json:"links,omitempty"`
}

// RecordPackage wraps records (one per ocid) for publication.
type RecordPackage struct {
	PackageHeader
	Packages []string `json:"packages,omitempty"`
	Records  []Record `json:"records"`
	Links    *Links   `json:"links,omitempty"`
}

// Record is everything about one contracting process: links to its releases, oldest first, its compiled
// release and, if asked for, its versioned release.
type Record struct {
	OCID             string          `json:"ocid"`
	Releases         []LinkedRelease `json:"releases"`
	CompiledRelease  map[string]any  `json:"compiledRelease"`
	VersionedRelease map[string]any  `json:"versionedRelease,omitempty"`
}

// LinkedRelease names a release by the URL of its package and its id as the fragment.
type LinkedRelease struct {
	URL  string    `json:"url"`
	Date time.Time `json:"date"`
	Tag  []string  `json:"tag"`
}

// NewReleasePackage wraps releases with the package metadata, declaring the bids extension.
func NewReleasePackage(meta PackageMeta, releases []Release, links *Links) ReleasePackage {
	if releases == nil {
		releases = []Release{} // the schema wants an array, even an empty page
	}
	return ReleasePackage{PackageHeader: header(meta), Releases: releases, Links: links}
}

// NewRecordPackage wraps records; packages lists the release packages their releases link to.
func NewRecordPackage(meta PackageMeta, records []Record, packages []string, links *Links) RecordPackage {
	if records == nil {
		records = []Record{}
	}
	return RecordPackage{PackageHeader: header(meta), Packages: packages, Records: records, Links: links}
}

// NewRecord compiles the record of one ocid from all its releases. packageURL is where the releases are
// served (e.g. .../ocds/releasePackages/{ocid}); each release links to it with "#<release id>".
func NewRecord(releases []Release, packageURL string, versioned bool) (Record, error) {
	if len(releases) == 0 {
		return Record{}, fmt.Errorf("a record needs at least one release")
	}
	sorted := append([]Release(nil), releases...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Date.Before(sorted[j].Date) })
	generic, err := ToMaps(sorted)
	if err != nil {
		return Record{}, err
	}
	rec := Record{OCID: sorted[0].OCID}
	for _, r := range sorted {
		rec.Releases = append(rec.Releases, LinkedRelease{URL: packageURL + "#" + r.ID, Date: r.Date, Tag: r.Tag})
	}
	if rec.CompiledRelease, err = Compile(generic); err != nil {
		return Record{}, err
	}
	if versioned {
		if rec.VersionedRelease, err = Versioned(generic); err != nil {
			return Record{}, err
		}
	}
	return rec, nil
}

// ToMaps turns typed releases into the generic JSON the merge works on.
func ToMaps(releases []Release) ([]map[string]any, error) {
	raw, err := json.Marshal(releases)
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// FromMap turns a generic release (a compiled release, say) back into the typed form.
func FromMap(m map[string]any) (Release, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return Release{}, err
	}
	var r Release
	err = json.Unmarshal(raw, &r)
	return r, err
}
