package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/services/scheduling"
	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
	"github.com/govstackbb/marketplace/services/scheduling/internal/events"
	"github.com/govstackbb/marketplace/services/scheduling/internal/store"
)

// newStore is a Store on a fresh, seeded database (Dr. Kask at North Tallinn Hospital, among others).
func newStore(t *testing.T) (*store.Store, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.NewPool(t, scheduling.Migrations()...)
	if err := scheduling.Seed(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	return store.New(pool, events.Encoder{}.Encode), pool
}

var liis = domain.Subscriber{ID: "liis", Name: "Liis", Email: "liis@example.org"}

// book books Dr. Kask at 09:00 UTC on 29 March 2027 for liis in tx, and publishes the booking.
func book(ctx context.Context, tx app.Tx) (domain.Appointment, error) {
	start := time.Date(2027, 3, 29, 9, 0, 0, 0, time.UTC)
	slot := domain.Slot{Resource: domain.Resource{ID: "doc-kask"}, Entity: domain.Entity{ID: "hosp-north-tallinn"},
		Start: start, End: start.Add(20 * time.Minute)}
	if err := tx.UpsertSubscriber(ctx, liis); err != nil {
		return domain.Appointment{}, err
	}
	a, booked := domain.Book("6f1c3b1e-2a4d-4c1e-9f1a-0b2c3d4e5f60", slot, liis, "")
	tx.Publish(booked)
	return a, tx.InsertAppointment(ctx, a)
}

// count is how many rows sql counts.
func count(t *testing.T, pool *pgxpool.Pool, sql string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

const (
	bookedEvents = `SELECT count(*) FROM outbox WHERE type = 'govstack.scheduling.v1.appointment.booked'`
	appointments = `SELECT count(*) FROM appointment`
)

// The events a use case publishes commit with its change, once, even when Postgres made the transaction
// run twice; a use case that fails leaves neither.
func TestInTxPublishesWithTheChange(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name    string
		fail    []error // what each attempt returns after booking
		wantErr bool
		want    int
	}{
		{"commits", []error{nil}, false, 1},
		{"fails", []error{apierr.Invalid("X", "no")}, true, 0},
		{"retried after a serialization failure", []error{&pgconn.PgError{Code: "40001"}, nil}, false, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, pool := newStore(t)
			attempt := 0
			err := s.InTx(ctx, func(tx app.Tx) error {
				if _, err := book(ctx, tx); err != nil {
					return err
				}
				attempt++
				return c.fail[attempt-1]
			})
			if (err != nil) != c.wantErr {
				t.Fatalf("InTx: %v", err)
			}
			if n, a := count(t, pool, bookedEvents), count(t, pool, appointments); n != c.want || a != c.want {
				t.Errorf("%d booked events and %d appointments, want %d of each", n, a, c.want)
			}
		})
	}
}

func TestUpdateByClosure(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	err := s.UpdateEntity(ctx, "nowhere", func(*domain.Entity) error { t.Fatal("called for a missing entity"); return nil })
	if e, ok := apierr.As(err); !ok || e.Kind != apierr.KindNotFound || e.Message != "entity nowhere not found" {
		t.Fatalf("missing entity: %v", err)
	}
	refuse := errors.New("refused")
	if err := s.UpdateEntity(ctx, "hosp-north-tallinn", func(e *domain.Entity) error { e.Name = "Changed"; return refuse }); !errors.Is(err, refuse) {
		t.Fatalf("refusal: %v", err)
	}
	if err := s.UpdateEntity(ctx, "hosp-north-tallinn", func(e *domain.Entity) error { e.City = "Tallinn-North"; return nil }); err != nil {
		t.Fatal(err)
	}
	es, err := s.Entities(ctx, app.EntityFilter{IDs: []string{"hosp-north-tallinn"}})
	if err != nil || len(es) != 1 || es[0].Name != "North Tallinn Hospital" || es[0].City != "Tallinn-North" {
		t.Fatalf("entity after a refused and a saved update: %+v, %v", es, err)
	}
}

func TestUpdateDeadline(t *testing.T) {
	ctx := context.Background()
	s, pool := newStore(t)
	due := domain.Timer{ID: "0e5c7d62-6a51-4f0b-8f43-2f2f6f0a9c11", Kind: domain.TimerDeadline, FireAt: time.Now(), Subject: "s"}
	if err := s.InsertTimer(ctx, due); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateDeadline(ctx, due.ID, (*domain.Timer).Cancel); err != nil {
		t.Fatal(err)
	}
	if n := count(t, pool, `SELECT count(*) FROM timer WHERE cancelled_at IS NOT NULL`); n != 1 {
		t.Fatalf("%d cancelled timers", n)
	}
	if _, err := pool.Exec(ctx, `UPDATE timer SET cancelled_at = NULL, fired_at = now()`); err != nil {
		t.Fatal(err)
	}
	err := s.UpdateDeadline(ctx, due.ID, (*domain.Timer).Cancel)
	if e, ok := apierr.As(err); !ok || e.Reason != domain.ReasonDeadlineFired {
		t.Fatalf("cancel of a fired deadline: %v", err)
	}
}

// A GovStack record reads back as it was written, an empty venue included.
func TestRecordsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	want := domain.HostedEvent{ID: "ev-1", Name: "Fair", From: "2027-04-01T09:00:00+03:00", Venue: &domain.Venue{}}
	err := s.InTx(ctx, func(tx app.Tx) error {
		idx, err := want.Check()
		if err != nil {
			return err
		}
		if err := tx.InsertRecord(ctx, want, idx); err != nil {
			return err
		}
		got, err := tx.LockRecord(ctx, domain.KindEvent, "ev-1")
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("locked %+v, want %+v", got, want)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Records(ctx, domain.KindEvent, app.RecordFilter{})
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Fatalf("listed %+v, %v", got, err)
	}
}
