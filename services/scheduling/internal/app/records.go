package app

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
	"github.com/govstackbb/marketplace/services/scheduling/internal/store"
)

// recordSpec is how one GovStack resource kept in govstack_record (event, message, alert_schedule, log)
// is validated, filtered and tied to timers.
type recordSpec[M proto.Message] struct {
	kind  string
	fresh func() M
	getID func(M) string
	setID func(M, string)
	// columns validates m and returns its filter columns.
	columns func(M) (store.Record, error)
	// sync keeps the record's timers in step after a create or modify (may be nil).
	sync func(ctx context.Context, tx pgx.Tx, m M) error
	// prepare adjusts the stored record before a patch merges into it (may be nil), e.g. so a given list
	// replaces the stored one instead of being appended to it.
	prepare func(stored, patch M)
	// private records hold personal data that belongs to no one subscriber (alert recipients' contacts, log
	// data), so none of them is a citizen's own and a citizen's list of them is empty.
	private bool
}

// privateKinds are the kinds of the private specs.
var privateKinds = map[string]bool{alertScheduleSpec.kind: alertScheduleSpec.private, logSpec.kind: logSpec.private}

// mayWriteRecords refuses a citizen any change of GovStack records (they are the hospital's), and an IM client
// without the personal-data right a change of the private ones: an alert schedule sends a message to the
// people it lists, and changing one answers with their contacts; a log holds people's data.
func mayWriteRecords(ctx context.Context, verb, kind string) error {
	if err := staffOnly(ctx, verb+" "+recordsName(kind)); err != nil {
		return err
	}
	if privateKinds[kind] {
		return callerOf(ctx).requirePersonalData(recordsName(kind))
	}
	return nil
}

// recordsName names the records of kind in messages: "alert schedules".
func recordsName(kind string) string { return strings.ReplaceAll(kind, "_", " ") + "s" }

var storeJSON = protojson.MarshalOptions{UseProtoNames: true}

func (sp recordSpec[M]) write(ctx context.Context, tx pgx.Tx, m M, create bool) error {
	r, err := sp.columns(m)
	if err != nil {
		return err
	}
	if r.Details, err = storeJSON.Marshal(m); err != nil {
		return err
	}
	r.Kind, r.ID = sp.kind, sp.getID(m)
	if create {
		err = store.InsertRecord(ctx, tx, r)
	} else {
		err = store.UpdateRecord(ctx, tx, r)
	}
	if err != nil || sp.sync == nil {
		return err
	}
	return sp.sync(ctx, tx, m)
}

func createRecord[M proto.Message](ctx context.Context, s *Service, sp recordSpec[M], m M) (M, error) {
	if err := mayWriteRecords(ctx, "create", sp.kind); err != nil {
		return m, err
	}
	sp.setID(m, orNewID(sp.getID(m)))
	return m, s.inTx(ctx, func(tx pgx.Tx) error { return sp.write(ctx, tx, m, true) })
}

func modifyRecord[M proto.Message](ctx context.Context, s *Service, sp recordSpec[M], id string, patch M) (M, error) {
	stored := sp.fresh()
	if err := mayWriteRecords(ctx, "modify", sp.kind); err != nil {
		return stored, err
	}
	if err := domain.Required(sp.kind+"_id", id); err != nil {
		return stored, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		raw, err := store.LockRecord(ctx, tx, sp.kind, id)
		if err != nil {
			return err
		}
		if err := protojson.Unmarshal(raw, stored); err != nil {
			return err
		}
		if sp.prepare != nil {
			sp.prepare(stored, patch)
		}
		proto.Merge(stored, patch)
		sp.setID(stored, id)
		return sp.write(ctx, tx, stored, false)
	})
	return stored, err
}

func listRecords[M proto.Message](ctx context.Context, s *Service, sp recordSpec[M], f store.RecordFilter) ([]M, error) {
	if sp.private {
		c := callerOf(ctx)
		if err := c.requirePersonalData(recordsName(sp.kind)); err != nil {
			return nil, err
		}
		if c.citizen {
			return nil, nil
		}
	}
	f.Kind = sp.kind
	raws, err := store.Records(ctx, s.pool, f)
	if err != nil {
		return nil, err
	}
	out := make([]M, 0, len(raws))
	for _, raw := range raws {
		m := sp.fresh()
		if err := protojson.Unmarshal(raw, m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// DeleteRecord deletes an event, message, alert_schedule or log; pending timers of an event's deadline
// or an alert schedule are cancelled with it.
func (s *Service) DeleteRecord(ctx context.Context, kind, id string) error {
	if err := mayWriteRecords(ctx, "delete", kind); err != nil {
		return err
	}
	if err := domain.Required(kind+"_id", id); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := store.DeleteRecord(ctx, tx, kind, id); err != nil {
			return err
		}
		switch kind {
		case "event":
			return store.CancelTimersFor(ctx, tx, domain.TimerDeadline, eventDeadlineSubject, id)
		case "alert_schedule":
			return store.CancelTimersFor(ctx, tx, domain.TimerAlertSchedule, alertScheduleSubject, id)
		}
		return nil
	})
}

// TimeFilter parses optional from/to filters.
func TimeFilter(from, to string) (*time.Time, *time.Time, error) {
	f, err := domain.ParseOptionalTime("from", from)
	if err != nil {
		return nil, nil, err
	}
	t, err := domain.ParseOptionalTime("to", to)
	if err != nil {
		return nil, nil, err
	}
	return timePtr(f), timePtr(t), nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
