package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// A second edit of a draft waits for the first to commit and then sees its change: none saves a copy read
// before another's change (two PATCHes at once would otherwise lose one's fields).
func TestUpdateDraftSeesTheEditBeforeIt(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	now := time.Now()
	d := domain.SupplierDraft{ID: "draft-secret-1", CompanyID: "123456789", ExpiresAt: now.Add(time.Hour)}
	if err := s.AddDraft(ctx, d, now); err != nil {
		t.Fatal(err)
	}
	loaded, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		_, err := s.UpdateDraft(ctx, d.ID, now, func(d *domain.SupplierDraft) error {
			close(loaded)
			<-release
			d.ContactName = "Carla Contoso"
			return nil
		})
		first <- err
	}()
	<-loaded
	seen := make(chan string, 1)
	second := make(chan error, 1)
	go func() {
		_, err := s.UpdateDraft(ctx, d.ID, now, func(d *domain.SupplierDraft) error {
			seen <- d.ContactName
			d.ContactPhone = "+447700900123"
			return nil
		})
		second <- err
	}()
	// Either the second edit waits on the draft's lock (right) or it has already read the draft (wrong).
	deadline := time.Now().Add(10 * time.Second)
	for len(seen) == 0 && lockWaiters(t, pool) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the second edit neither waited nor read the draft")
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if name := <-seen; name != "Carla Contoso" {
		t.Errorf("the second edit read contact name %q, before the first edit's change", name)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Draft(ctx, d.ID, now)
	if err != nil || !ok || got.ContactName != "Carla Contoso" || got.ContactPhone != "+447700900123" {
		t.Errorf("draft = %+v, %v, %v; want both edits", got, ok, err)
	}
	if ok, err := s.UpdateDraft(ctx, "no-such-draft", now, func(*domain.SupplierDraft) error { return nil }); ok || err != nil {
		t.Errorf("unknown draft: ok %v, %v", ok, err)
	}
}

func lockWaiters(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_locks WHERE NOT granted`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
