package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/outbox"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/govstackbb/marketplace/services/registration/internal/app"
	"github.com/govstackbb/marketplace/services/registration/internal/store"
	"github.com/govstackbb/marketplace/services/registration/migrations"
)

// noRegistries is a Digital Registries this test never reaches.
type noRegistries struct{}

func (noRegistries) ReadRecord(context.Context, string, map[string]any) (map[string]any, bool, error) {
	return nil, false, errors.New("no registries in this test")
}
func (noRegistries) UpsertRecord(context.Context, string, map[string]any, map[string]any) error {
	return errors.New("no registries in this test")
}
func (noRegistries) UpdateRecord(context.Context, string, map[string]any, map[string]any) error {
	return errors.New("no registries in this test")
}

// A flow's Prepare that fails leaves the task, the file, the outbox and the audit untouched; Decided runs
// in the decision's transaction, so its failure rolls the decision back too.
func TestCompleteTaskFlowHooks(t *testing.T) {
	pool := pgtest.NewPool(t, pgstore.MigrationSet{Name: app.BB, FS: migrations.FS, Dir: "."}, outbox.Migrations, inbox.Migrations)
	st := store.New(pool)
	s, err := app.New(app.Options{Store: st, Registries: noRegistries{}, TokenIssuer: "test",
		AccessTokenTTL: time.Minute, RefreshTokenTTL: time.Hour, KeyRotation: time.Hour, ActivationTTL: time.Hour, ResetTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	svcID := uuid.NewString()
	if _, err := pool.Exec(ctx, `INSERT INTO services (id, key, name) VALUES ($1, 'hooked', 'Hooked service')`, svcID); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO eforms (id, service_id, name, version, latest, schema) VALUES ($1, $2, 'f', '1', true, '{"type": "object"}')`,
		uuid.NewString(), svcID); err != nil {
		t.Fatal(err)
	}
	var fileID, taskID string
	err = st.InTx(ctx, func(tx app.Tx) error {
		fileID, taskID, err = s.RecordApplication(ctx, tx, app.NewApplication{ServiceKey: "hooked", ApplicantID: "someone",
			Data: map[string]any{"x": "y"}, ReviewTask: &app.NewTask{Name: "Review", RoleID: usertoken.RoleAdmin}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	prepareErr, decidedErr := errors.New("registry down"), errors.New("flow refused")
	var prepared app.Decision
	s.SetFlow("hooked", app.Flow{
		Prepare: func(_ context.Context, d app.Decision) error { prepared = d; return prepareErr },
		Decided: func(context.Context, app.Tx, app.Decision) error { return decidedErr },
	})
	admin := usertoken.NewContext(ctx, usertoken.Claims{Subject: "admin-1", Name: "Ada", Roles: []string{usertoken.RoleAdmin}})
	data := map[string]any{"decision": "approve", "comment": "ok"}
	if _, err := s.CompleteTask(admin, taskID, data); !errors.Is(err, prepareErr) {
		t.Fatalf("Prepare failing: %v", err)
	}
	if prepared.FileID != fileID || prepared.Status != "APPROVED" || prepared.OperatorID != "admin-1" || prepared.Data["x"] != "y" {
		t.Errorf("Prepare got %+v", prepared)
	}
	assertUnchanged(t, pool, taskID)
	s.SetFlow("hooked", app.Flow{Decided: func(context.Context, app.Tx, app.Decision) error { return decidedErr }})
	if _, err := s.CompleteTask(admin, taskID, data); !errors.Is(err, decidedErr) {
		t.Fatalf("Decided failing: %v", err)
	}
	assertUnchanged(t, pool, taskID)
	s.SetFlow("hooked", app.Flow{})
	if c, err := s.CompleteTask(admin, taskID, data); err != nil || c.Status != "APPROVED" {
		t.Fatalf("without hooks: %+v, %v", c, err)
	}
}

func assertUnchanged(t *testing.T, pool *pgxpool.Pool, taskID string) {
	t.Helper()
	var taskStatus, fileStatus string
	var decided, audits int
	err := pool.QueryRow(context.Background(), `SELECT t.status, a.status,
			(SELECT count(*) FROM outbox WHERE type = 'govstack.registration.v1.application.decided'), (SELECT count(*) FROM audit)
		FROM tasks t JOIN applications a USING (file_id) WHERE t.task_id = $1`, taskID).
		Scan(&taskStatus, &fileStatus, &decided, &audits)
	if err != nil {
		t.Fatal(err)
	}
	if taskStatus != "PENDING" || fileStatus != "PENDING" || decided != 0 || audits != 0 {
		t.Errorf("after a failed decision: task %s, file %s, %d decided events, %d audit rows", taskStatus, fileStatus, decided, audits)
	}
}
