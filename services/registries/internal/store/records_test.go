package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
	"github.com/govstackbb/marketplace/services/registries/internal/store"
)

func ids(recs []domain.Record) []string {
	out := make([]string, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

func TestCreateReadAndList(t *testing.T) {
	ctx := context.Background()
	s, pool := newStore(t)
	r := newRegistry(t, s, "1.0")
	for i := range 25 {
		city := "Tallinn"
		if i%2 == 1 {
			city = "Tartu"
		}
		ev := domain.RecordChanged{Change: domain.RecordCreated, Registry: r.Name, Version: r.Version, RecordID: person(i, city).ID}
		if err := s.InsertRecord(ctx, r.ID, person(i, city), ev); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, pool, `SELECT count(*) FROM outbox`); n != 25 {
		t.Errorf("outbox holds %d events, want 25", n)
	}

	got, err := s.RecordByID(ctx, r.ID, "p003")
	if err != nil || got.Content["name"] != "Person 3" || got.PersonID != "p003" || got.CreatedAt.IsZero() {
		t.Fatalf("RecordByID = %+v, %v", got, err)
	}
	_, err = s.RecordByID(ctx, r.ID, "nope")
	wantKind(t, err, apierr.KindNotFound, domain.ReasonRecordNotFound)

	found, err := s.FindRecords(ctx, r.ID, domain.NewSelector(r, map[string]any{"city": "Tartu", "age": 21.0}), 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range found {
		if rec.Content["city"] != "Tartu" || rec.Content["age"] != 21.0 {
			t.Errorf("FindRecords returned %v", rec.Content)
		}
	}
	if len(found) == 0 {
		t.Error("FindRecords found nothing")
	}

	t.Run("filter, order by field descending, page", func(t *testing.T) {
		q, err := domain.NewListQuery(r, domain.ListParams{Query: map[string]string{"city": "Tallinn"},
			Filter: "id", Ordering: "descending", Page: 2, PageSize: 5})
		if err != nil {
			t.Fatal(err)
		}
		recs, total, err := s.ListRecords(ctx, r.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		// Tallinn: p000, p002, ..., p024 (13); descending page 2 of 5 = p014..p006.
		if want := []string{"p014", "p012", "p010", "p008", "p006"}; total != 13 || !slices.Equal(ids(recs), want) {
			t.Errorf("got %v (total %d), want %v (13)", ids(recs), total, want)
		}
	})
	t.Run("order by number ascending", func(t *testing.T) {
		q, _ := domain.NewListQuery(r, domain.ListParams{Filter: "age", PageSize: 4})
		recs, _, err := s.ListRecords(ctx, r.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"p000", "p007", "p014", "p021"}; !slices.Equal(ids(recs), want) {
			t.Errorf("got %v, want %v", ids(recs), want)
		}
	})
	t.Run("search case-insensitive regex", func(t *testing.T) {
		q, _ := domain.NewListQuery(r, domain.ListParams{Search: "person 1[0-2]$|PERSON 2\\d"})
		recs, total, err := s.ListRecords(ctx, r.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		// "Person 10".."12" are not at the end of the JSON text, so only 20-24 match the second branch.
		if total != 5 || len(recs) != 5 {
			t.Errorf("search matched %v (total %d)", ids(recs), total)
		}
	})
	t.Run("search in the filter field only", func(t *testing.T) {
		// GovStack: filter is "the field name the user wishes to filter". The twelve odd persons live in
		// Tartu: searched in city it finds them, searched in name nobody.
		q, err := domain.NewListQuery(r, domain.ListParams{Search: "^tartu$", Filter: "city"})
		if err != nil {
			t.Fatal(err)
		}
		if _, total, err := s.ListRecords(ctx, r.ID, q); err != nil || total != 12 {
			t.Errorf("search in city: total %d, %v; want 12", total, err)
		}
		q, _ = domain.NewListQuery(r, domain.ListParams{Search: "tartu", Filter: "name"})
		if _, total, err := s.ListRecords(ctx, r.ID, q); err != nil || total != 0 {
			t.Errorf("search in name: total %d, %v; want 0", total, err)
		}
		// A number field is searched in its JSON text.
		q, _ = domain.NewListQuery(r, domain.ListParams{Search: "^26$", Filter: "age"})
		if _, total, err := s.ListRecords(ctx, r.ID, q); err != nil || total == 0 {
			t.Errorf("search in age: total %d, %v", total, err)
		}
	})
	t.Run("search Postgres rejects is a 400", func(t *testing.T) {
		q, err := domain.NewListQuery(r, domain.ListParams{Search: `(?P<n>x)`})
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = s.ListRecords(ctx, r.ID, q)
		wantKind(t, err, apierr.KindInvalidArgument, domain.ReasonInvalidSearch)
	})
}

func TestUniquePrimaryKey(t *testing.T) {
	ctx := context.Background()
	s, pool := newStore(t)
	r := newRegistry(t, s, "1.0")
	if err := s.InsertRecord(ctx, r.ID, person(1, "Tartu")); err != nil {
		t.Fatal(err)
	}
	err := s.InsertRecord(ctx, r.ID, person(1, "Tallinn"), domain.RecordChanged{Change: domain.RecordCreated, RecordID: "p001"})
	wantKind(t, err, apierr.KindAlreadyExists, domain.ReasonRecordExists)
	if n := count(t, pool, `SELECT count(*) FROM outbox`); n != 0 {
		t.Errorf("a failed insert left %d events", n)
	}
	// The same key in another version is another record.
	r2 := newRegistry(t, s, "2.0")
	if err := s.InsertRecord(ctx, r2.ID, person(1, "Tallinn")); err != nil {
		t.Fatalf("same key in another version: %v", err)
	}
}

func TestMutateRecordsIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	r := newRegistry(t, s, "1.0")
	insertPeople(t, s, r, 3, "Tartu")
	veto := errors.New("veto")
	err := s.MutateRecords(ctx, r.ID, domain.NewSelector(r, map[string]any{"city": "Tartu"}), 10,
		func(found []domain.Record) ([]domain.Record, []domain.RecordChanged, error) {
			if len(found) != 3 {
				t.Errorf("found %d records, want 3", len(found))
			}
			return nil, nil, veto
		})
	if !errors.Is(err, veto) {
		t.Fatalf("MutateRecords = %v", err)
	}
	err = s.MutateRecords(ctx, r.ID, domain.NewSelector(r, map[string]any{"city": "Tartu"}), 10,
		func(found []domain.Record) ([]domain.Record, []domain.RecordChanged, error) {
			out := []domain.Record{person(9, "Narva")} // inserted
			for _, f := range found {
				f.Content["city"] = "Pärnu" // updated
				out = append(out, f)
			}
			return out, nil, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := s.FindRecords(ctx, r.ID, domain.NewSelector(r, map[string]any{"city": "Pärnu"}), 10)
	if err != nil || len(recs) != 3 {
		t.Fatalf("updated records: %v, %v", ids(recs), err)
	}
	if _, err := s.RecordByID(ctx, r.ID, "p009"); err != nil {
		t.Errorf("inserted record: %v", err)
	}
}

func TestDeleteRecord(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	r := newRegistry(t, s, "1.0")
	if err := s.InsertRecord(ctx, r.ID, person(1, "Tartu")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRecord(ctx, r.ID, "p001"); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.DeleteRecord(ctx, r.ID, "p001"), apierr.KindNotFound, domain.ReasonRecordNotFound)
}

func TestSelectorByKeyAndPagePastTheEnd(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	r := newRegistry(t, s, "1.0")
	insertPeople(t, s, r, 3, "Tartu")
	got, err := s.FindRecords(ctx, r.ID, domain.NewSelector(r, map[string]any{"id": "p001"}), 5)
	if err != nil || !slices.Equal(ids(got), []string{"p001"}) {
		t.Fatalf("by key = %v, %v", ids(got), err)
	}
	got, err = s.FindRecords(ctx, r.ID, domain.NewSelector(r, map[string]any{"id": "p001", "city": "Narva"}), 5)
	if err != nil || len(got) != 0 {
		t.Fatalf("by key and another field = %v, %v", ids(got), err)
	}
	q, _ := domain.NewListQuery(r, domain.ListParams{Page: 9, PageSize: 2})
	recs, total, err := s.ListRecords(ctx, r.ID, q)
	if err != nil || len(recs) != 0 || total != 3 {
		t.Fatalf("page past the end = %v, total %d, %v", ids(recs), total, err)
	}
}

// rename changes the primary key of the record with key from to to, as an update through the API does.
func rename(ctx context.Context, s *store.Store, r domain.Registry, from, to string) error {
	return s.MutateRecords(ctx, r.ID, domain.NewSelector(r, map[string]any{"id": from}), 2,
		func(found []domain.Record) ([]domain.Record, []domain.RecordChanged, error) {
			if len(found) != 1 {
				return nil, nil, domain.ErrRecordNotFound()
			}
			next, err := domain.Update(r, found[0], map[string]any{"id": to})
			return []domain.Record{next}, nil, err
		})
}

// An update may change a record's primary key when the new key is free; a taken key is a conflict, and
// when two updates race for one new key, exactly one gets it (the unique key decides).
func TestUpdateChangesThePrimaryKey(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	r := newRegistry(t, s, "1.0")
	for i := range 4 {
		if err := s.InsertRecord(ctx, r.ID, person(i, "Tartu")); err != nil {
			t.Fatal(err)
		}
	}
	if err := rename(ctx, s, r, "p000", "new-0"); err != nil {
		t.Fatal(err)
	}
	if rec, err := s.RecordByID(ctx, r.ID, "new-0"); err != nil || rec.Content["name"] != "Person 0" {
		t.Fatalf("renamed record: %+v, %v", rec, err)
	}
	if _, err := s.RecordByID(ctx, r.ID, "p000"); apierr.KindOf(err) != apierr.KindNotFound {
		t.Fatalf("the old key still answers: %v", err)
	}
	wantKind(t, rename(ctx, s, r, "p001", "p002"), apierr.KindAlreadyExists, domain.ReasonRecordExists)

	errs := make(chan error, 2)
	for _, from := range []string{"p001", "p002"} {
		go func() { errs <- rename(ctx, s, r, from, "contested") }()
	}
	var won, lost int
	for range 2 {
		switch err := <-errs; apierr.KindOf(err) {
		case apierr.KindAlreadyExists:
			lost++
		default:
			if err != nil {
				t.Fatalf("race: %v", err)
			}
			won++
		}
	}
	if won != 1 || lost != 1 {
		t.Fatalf("won %d, lost %d; want exactly one rename", won, lost)
	}
}
