package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// Page is one page of a list, with GovStack's relative links to its neighbours.
type Page struct {
	Records        []domain.Record
	Total          int
	Next, Previous string
}

// requireMatch refuses an empty query: "every field of nothing" would select a whole registry, which a
// read, an exists or an update never means.
func requireMatch(match map[string]any) error {
	if len(match) == 0 {
		return domain.ErrMissing("query.content")
	}
	for field := range match {
		if err := domain.ValidateFieldName("query.content", field); err != nil {
			return err
		}
	}
	return nil
}

// ReadRecord returns the oldest record whose fields equal every field of match.
func (s *Service) ReadRecord(ctx context.Context, t Target, match map[string]any) (domain.Record, error) {
	if err := requireMatch(match); err != nil {
		return domain.Record{}, err
	}
	r, err := s.registry(ctx, t)
	if err != nil {
		return domain.Record{}, err
	}
	recs, err := s.store.FindRecords(ctx, r.ID, domain.NewSelector(r, match), 1)
	if err != nil {
		return domain.Record{}, err
	}
	if len(recs) == 0 {
		return domain.Record{}, domain.ErrRecordNotFound()
	}
	return recs[0], s.logUsage(ctx, r, domain.OpRead, recs)
}

// RecordExists says whether a record matching every field of match exists. Knowing that a person is in a
// registry is personal data too, so a positive answer is logged like a read.
func (s *Service) RecordExists(ctx context.Context, t Target, match map[string]any) (bool, error) {
	if err := requireMatch(match); err != nil {
		return false, err
	}
	r, err := s.registry(ctx, t)
	if err != nil {
		return false, err
	}
	recs, err := s.store.FindRecords(ctx, r.ID, domain.NewSelector(r, match), 1)
	if err != nil {
		return false, err
	}
	return len(recs) > 0, s.logUsage(ctx, r, domain.OpExists, recs)
}

// ListRecords returns one page of the records matching p.
func (s *Service) ListRecords(ctx context.Context, t Target, p domain.ListParams) (Page, error) {
	r, err := s.registry(ctx, t)
	if err != nil {
		return Page{}, err
	}
	q, err := domain.NewListQuery(r, p)
	if err != nil {
		return Page{}, err
	}
	recs, total, err := s.store.ListRecords(ctx, r.ID, q)
	if err != nil {
		return Page{}, err
	}
	page := Page{Records: recs, Total: total, Next: q.NextLink(path(r), total), Previous: q.PreviousLink(path(r))}
	return page, s.logUsage(ctx, r, domain.OpList, recs)
}

// ReadRecordValue returns one top-level field of the record with primary key id; fieldExt is
// "{field}.{ext}" and json is the only extension.
func (s *Service) ReadRecordValue(ctx context.Context, t Target, id, fieldExt string) (any, error) {
	if id == "" {
		return nil, domain.ErrMissing("id")
	}
	field, _, err := domain.ParseFieldExt(fieldExt)
	if err != nil {
		return nil, err
	}
	r, err := s.registry(ctx, t)
	if err != nil {
		return nil, err
	}
	rec, err := s.store.RecordByID(ctx, r.ID, id)
	if err != nil {
		return nil, err
	}
	value, ok := rec.Content[field]
	if !ok {
		return nil, apierr.NotFound(domain.ReasonFieldNotFound, "the record has no such field")
	}
	return value, s.logUsage(ctx, r, domain.OpReadValue, []domain.Record{rec})
}

// logUsage records who read which person's records. It fails the read when the log cannot be written:
// returning personal data without the record of it is what the log exists to prevent.
func (s *Service) logUsage(ctx context.Context, r domain.Registry, op string, recs []domain.Record) error {
	usages := domain.UsagesOf(r, readerOf(ctx), op, s.now(), recs)
	for i := range usages {
		usages[i].ID = s.newID()
	}
	return s.store.InsertUsages(ctx, usages)
}
