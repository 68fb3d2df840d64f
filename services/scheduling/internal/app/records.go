package app

import (
	"context"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// recordSpec is how the use cases handle one kind of GovStack record (event, message, alert_schedule,
// log): the record's own rules are in the domain; this adds the id, the merge and the timers it sets.
type recordSpec[R domain.Record] struct {
	kind  domain.RecordKind
	setID func(*R, string)
	// merge patches the stored record with the fields a modification gives.
	merge func(stored *R, patch R)
	// sync keeps the record's timers in step after a create or modify (may be nil).
	sync func(ctx context.Context, tx Tx, r R) error
}

// mayWriteRecords refuses a citizen any change of GovStack records (they are the hospital's), and an IM client
// without the personal-data right a change of the private ones: an alert schedule sends a message to the
// people it lists, and changing one answers with their contacts; a log holds people's data.
func mayWriteRecords(ctx context.Context, verb string, kind domain.RecordKind) error {
	if err := staffOnly(ctx, verb+" "+kind.Plural()); err != nil {
		return err
	}
	if kind.Private() {
		return callerOf(ctx).requirePersonalData(kind.Plural())
	}
	return nil
}

func (sp recordSpec[R]) write(ctx context.Context, tx Tx, r R, create bool) error {
	idx, err := r.Check()
	if err != nil {
		return err
	}
	if create {
		err = tx.InsertRecord(ctx, r, idx)
	} else {
		err = tx.UpdateRecord(ctx, r, idx)
	}
	if err != nil || sp.sync == nil {
		return err
	}
	return sp.sync(ctx, tx, r)
}

func createRecord[R domain.Record](ctx context.Context, s *Service, sp recordSpec[R], r R) (R, error) {
	if err := mayWriteRecords(ctx, "create", sp.kind); err != nil {
		return r, err
	}
	sp.setID(&r, orNewID(r.RecordID()))
	return r, s.store.InTx(ctx, func(tx Tx) error { return sp.write(ctx, tx, r, true) })
}

func modifyRecord[R domain.Record](ctx context.Context, s *Service, sp recordSpec[R], id string, patch R) (R, error) {
	var stored R
	if err := mayWriteRecords(ctx, "modify", sp.kind); err != nil {
		return stored, err
	}
	if err := domain.Required(string(sp.kind)+"_id", id); err != nil {
		return stored, err
	}
	err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		if stored, err = lockRecord[R](ctx, tx, sp.kind, id); err != nil {
			return err
		}
		sp.merge(&stored, patch)
		sp.setID(&stored, id)
		return sp.write(ctx, tx, stored, false)
	})
	return stored, err
}

// lockRecord locks the record of kind with id, which the store returns as an R.
func lockRecord[R domain.Record](ctx context.Context, tx Tx, kind domain.RecordKind, id string) (R, error) {
	rec, err := tx.LockRecord(ctx, kind, id)
	if err != nil {
		var zero R
		return zero, err
	}
	return rec.(R), nil
}

func listRecords[R domain.Record](ctx context.Context, s *Service, kind domain.RecordKind, f RecordFilter) ([]R, error) {
	if kind.Private() {
		c := callerOf(ctx)
		if err := c.requirePersonalData(kind.Plural()); err != nil {
			return nil, err
		}
		if c.citizen {
			return nil, nil
		}
	}
	recs, err := s.store.Records(ctx, kind, f)
	if err != nil {
		return nil, err
	}
	out := make([]R, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.(R))
	}
	return out, nil
}

// deleteRecord deletes a record of kind; pending timers of an event's deadline or an alert schedule are
// cancelled with it.
func (s *Service) deleteRecord(ctx context.Context, kind domain.RecordKind, id string) error {
	if err := mayWriteRecords(ctx, "delete", kind); err != nil {
		return err
	}
	if err := domain.Required(string(kind)+"_id", id); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.DeleteRecord(ctx, kind, id); err != nil {
			return err
		}
		switch kind {
		case domain.KindEvent:
			return tx.CancelTimersFor(ctx, domain.TimerDeadline, domain.SubjectEventDeadline, id)
		case domain.KindAlertSchedule:
			return tx.CancelTimersFor(ctx, domain.TimerAlertSchedule, domain.SubjectAlertSchedule, id)
		}
		return nil
	})
}
