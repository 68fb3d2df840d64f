package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

func TestRegistryLifecycleAndCascade(t *testing.T) {
	ctx := context.Background()
	s, pool := newStore(t)
	r := newRegistry(t, s, "1.0")
	insertPeople(t, s, r, 3, "Tartu")
	byName, err := s.RegistryByName(ctx, "people", "1.0")
	if err != nil || byName.ID != r.ID || byName.PersonIDField != "id" || byName.Schema["type"] != "object" {
		t.Fatalf("RegistryByName = %+v, %v", byName, err)
	}
	byID, err := s.RegistryByID(ctx, r.ID)
	if err != nil || byID.RecordCount != 3 {
		t.Fatalf("RegistryByID = %+v, %v", byID, err)
	}
	_, err = s.RegistryByName(ctx, "people", "9.9")
	wantKind(t, err, apierr.KindNotFound, domain.ReasonRegistryNotFound)

	all, err := s.ListRegistries(ctx)
	if err != nil || len(all) != 1 || all[0].RecordCount != 3 {
		t.Fatalf("ListRegistries = %+v, %v", all, err)
	}

	if err := s.DeleteRegistry(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(t, pool, `SELECT count(*) FROM record WHERE registry_id = $1`, r.ID); n != 0 {
		t.Errorf("%d records survived their registry", n)
	}
	wantKind(t, s.DeleteRegistry(ctx, r.ID), apierr.KindNotFound, domain.ReasonRegistryNotFound)
}

func TestSaveRegistryReplace(t *testing.T) {
	ctx := context.Background()
	s, pool := newStore(t)
	r := newRegistry(t, s, "1.0")
	insertPeople(t, s, r, 2, "Tartu")
	next := r
	next.Description = "replaced"
	next.PersonIDField = "city"
	next.ModifiedAt = time.Now()

	veto := errors.New("veto")
	_, _, err := s.SaveRegistry(ctx, next, func(domain.Registry, domain.Record) error { return veto })
	if !errors.Is(err, veto) {
		t.Fatalf("vetoed SaveRegistry = %v", err)
	}
	seen := 0
	saved, created, err := s.SaveRegistry(ctx, next, func(old domain.Registry, rec domain.Record) error {
		if old.Description != "" || rec.Content["city"] != "Tartu" {
			t.Errorf("verify saw %+v / %+v", old, rec)
		}
		seen++
		return nil
	})
	if err != nil || created || saved.ID != r.ID || saved.Description != "replaced" || seen != 2 {
		t.Fatalf("SaveRegistry = %+v, created %v, %v, verified %d", saved, created, err, seen)
	}
	// The person id column follows the new person id field.
	if n := count(t, pool, `SELECT count(*) FROM record WHERE person_id = 'Tartu'`); n != 2 {
		t.Errorf("person_id recomputed on %d records, want 2", n)
	}
}

func TestUsages(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	r := newRegistry(t, s, "1.0")
	reader := domain.Reader{ID: "EE/GOV/1/app", Member: "1", Subsystem: "app"}
	at := time.Now()
	usages := domain.UsagesOf(r, reader, domain.OpRead, at, []domain.Record{person(1, "x"), person(2, "y")})
	usages[0].ID, usages[1].ID = "6f1c1b57-6a8e-4a3c-9a43-3e4d1c2b5a01", "6f1c1b57-6a8e-4a3c-9a43-3e4d1c2b5a02"
	if err := s.InsertUsages(ctx, usages); err != nil {
		t.Fatal(err)
	}
	got, err := s.ListUsages(ctx, "p001", "people", "")
	if err != nil || len(got) != 1 {
		t.Fatalf("ListUsages = %+v, %v", got, err)
	}
	if u := got[0]; u.Reader != reader || u.RecordIDs[0] != "p001" || u.Operation != domain.OpRead || u.RegistryVersion != "1.0" {
		t.Errorf("usage = %+v", u)
	}
	if got, _ := s.ListUsages(ctx, "p001", "people", "2.0"); len(got) != 0 {
		t.Errorf("version filter ignored: %+v", got)
	}
	if got, _ := s.ListUsages(ctx, "p001", "other", ""); len(got) != 0 {
		t.Errorf("registry filter ignored: %+v", got)
	}
}
