package app

import (
	"context"
	"strconv"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// MaxBulkUpdate bounds updateEntries: all matches are locked and rewritten in one transaction.
const MaxBulkUpdate = 10000

// Write is an update request: the records selected by Match get Fields merged in.
type Write struct {
	Match  map[string]any
	Fields map[string]any
}

func (w Write) check() error {
	if err := requireMatch(w.Match); err != nil {
		return err
	}
	if w.Fields == nil {
		return domain.ErrMissing("write.content")
	}
	return nil
}

func errAmbiguous() error {
	return apierr.New(apierr.KindAlreadyExists, domain.ReasonAmbiguousQuery,
		"query.content matches several records; narrow it down or use updateEntries")
}

// UpdateRecord merges w.Fields into the one record matching w.Match.
func (s *Service) UpdateRecord(ctx context.Context, t Target, w Write) (domain.Record, error) {
	var updated domain.Record
	err := s.mutate(ctx, t, w, 2, func(r domain.Registry, sch *jsonschema.Schema, found []domain.Record) ([]domain.Record, []domain.RecordChanged, error) {
		switch {
		case len(found) == 0:
			return nil, nil, domain.ErrRecordNotFound()
		case len(found) > 1:
			return nil, nil, errAmbiguous()
		}
		rec, ev, err := s.update(ctx, r, sch, found[0], w.Fields)
		updated = rec
		return []domain.Record{rec}, []domain.RecordChanged{ev}, err
	})
	return updated, err
}

// UpdateEntries merges w.Fields into every record matching w.Match: every result must satisfy the schema,
// or none is changed. It returns the number of records updated.
func (s *Service) UpdateEntries(ctx context.Context, t Target, w Write) (int, error) {
	var count int
	err := s.mutate(ctx, t, w, MaxBulkUpdate+1, func(r domain.Registry, sch *jsonschema.Schema, found []domain.Record) ([]domain.Record, []domain.RecordChanged, error) {
		if len(found) > MaxBulkUpdate {
			return nil, nil, apierr.Invalid(domain.ReasonTooManyMatches,
				"query.content matches more than "+strconv.Itoa(MaxBulkUpdate)+" records; update them in smaller sets")
		}
		recs := make([]domain.Record, 0, len(found))
		events := make([]domain.RecordChanged, 0, len(found))
		for _, f := range found {
			rec, ev, err := s.update(ctx, r, sch, f, w.Fields)
			if err != nil {
				return nil, nil, err
			}
			recs, events = append(recs, rec), append(events, ev)
		}
		count = len(recs)
		return recs, events, nil
	})
	return count, err
}

// UpdateOrCreateRecord updates the one record matching w.Match, or creates one from w.Match merged with
// w.Fields when none matches. created tells which.
func (s *Service) UpdateOrCreateRecord(ctx context.Context, t Target, w Write) (rec domain.Record, created bool, err error) {
	err = s.mutate(ctx, t, w, 2, func(r domain.Registry, sch *jsonschema.Schema, found []domain.Record) ([]domain.Record, []domain.RecordChanged, error) {
		var ev domain.RecordChanged
		var err error
		switch len(found) {
		case 0:
			created = true
			rec, ev, err = s.create(ctx, r, sch, domain.Merge(w.Match, w.Fields))
		case 1:
			rec, ev, err = s.update(ctx, r, sch, found[0], w.Fields)
		default:
			err = errAmbiguous()
		}
		return []domain.Record{rec}, []domain.RecordChanged{ev}, err
	})
	return rec, created, err
}

type mutation func(r domain.Registry, sch *jsonschema.Schema, found []domain.Record) ([]domain.Record, []domain.RecordChanged, error)

// mutate loads the registry and its schema, then runs fn on the locked matching records.
func (s *Service) mutate(ctx context.Context, t Target, w Write, limit int, fn mutation) error {
	if err := w.check(); err != nil {
		return err
	}
	r, err := s.registry(ctx, t)
	if err != nil {
		return err
	}
	sch, err := s.schemas.For(r)
	if err != nil {
		return err
	}
	return s.store.MutateRecords(ctx, r.ID, domain.NewSelector(r, w.Match), limit, func(found []domain.Record) ([]domain.Record, []domain.RecordChanged, error) {
		return fn(r, sch, found)
	})
}

func (s *Service) update(ctx context.Context, r domain.Registry, sch *jsonschema.Schema, rec domain.Record,
	fields map[string]any) (domain.Record, domain.RecordChanged, error) {
	next, err := domain.Update(r, rec, fields)
	if err != nil {
		return domain.Record{}, domain.RecordChanged{}, err
	}
	if err := Validate(sch, next.Content); err != nil {
		return domain.Record{}, domain.RecordChanged{}, err
	}
	changed := domain.ChangedFields(rec.Content, next.Content)
	return next, recordEvent(domain.RecordUpdated, r, recordKey{next.ID, next.PreviousID}, changed, clientID(ctx), s.now()), nil
}

func (s *Service) create(ctx context.Context, r domain.Registry, sch *jsonschema.Schema,
	content map[string]any) (domain.Record, domain.RecordChanged, error) {
	rec, err := domain.NewRecord(r, content, s.newID)
	if err != nil {
		return domain.Record{}, domain.RecordChanged{}, err
	}
	if err := Validate(sch, rec.Content); err != nil {
		return domain.Record{}, domain.RecordChanged{}, err
	}
	return rec, recordEvent(domain.RecordCreated, r, recordKey{id: rec.ID}, fieldsOf(rec.Content), clientID(ctx), s.now()), nil
}
