package app

import (
	"context"
	"slices"
	"sync"

	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
	"github.com/govstackbb/marketplace/services/procurement/internal/redflags"
)

// recordCache keeps every process's record compiled, so the red flags do not merge every release of every
// process on each request. Releases are only ever appended (the table refuses updates and deletes), so a
// process whose release count is unchanged has an unchanged record: each request asks the store for the
// counts alone and recompiles only the processes that got a release since — whichever replica appended it.
type recordCache struct {
	mu      sync.Mutex
	records map[string]cachedRecord // by ocid
}

type cachedRecord struct {
	releases int
	record   redflags.Record
}

// compiled returns every process's record in ocid order, compiling only what changed since the last call.
func (c *recordCache) compiled(ctx context.Context, pubs Publications) ([]redflags.Record, error) {
	counts, err := pubs.ReleaseCounts(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock() // one request compiles at a time: the next finds the work done
	defer c.mu.Unlock()
	if c.records == nil {
		c.records = map[string]cachedRecord{}
	}
	for ocid := range c.records {
		if _, ok := counts[ocid]; !ok {
			delete(c.records, ocid)
		}
	}
	ocids := make([]string, 0, len(counts))
	for ocid, n := range counts {
		ocids = append(ocids, ocid)
		if c.records[ocid].releases == n {
			continue
		}
		raws, err := pubs.ReleasesOf(ctx, ocid)
		if err != nil {
			return nil, err
		}
		rec, err := compileRecord(raws)
		if err != nil {
			return nil, err
		}
		// The count read with the releases: one appended between the two reads is compiled next time.
		c.records[ocid] = cachedRecord{releases: len(raws), record: rec}
	}
	slices.Sort(ocids)
	out := make([]redflags.Record, 0, len(ocids))
	for _, ocid := range ocids {
		out = append(out, c.records[ocid].record)
	}
	return out, nil
}

// compileRecord merges one process's releases (oldest first) into its record.
func compileRecord(raws [][]byte) (redflags.Record, error) {
	releases, err := decodeReleases(raws)
	if err != nil {
		return redflags.Record{}, err
	}
	generic, err := ocds.ToMaps(releases)
	if err != nil {
		return redflags.Record{}, err
	}
	compiled, err := ocds.Compile(generic)
	if err != nil {
		return redflags.Record{}, err
	}
	c, err := ocds.FromMap(compiled)
	return redflags.Record{Compiled: c, Releases: releases}, err
}
