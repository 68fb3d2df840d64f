package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/pgstore"

	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

const jobColumns = `id::text, instance_id::text, process_key, element_id, ei, type, retries, headers, due_at, coalesce(worker, ''),
epoch, lease_until, error_message`

func scanJob(row pgx.CollectableRow) (domain.Job, error) {
	var j domain.Job
	var headers []byte
	if err := row.Scan(&j.ID, &j.InstanceID, &j.ProcessKey, &j.ElementID, &j.EI, &j.Type, &j.Retries, &headers, &j.DueAt,
		&j.Worker, &j.Epoch, &j.LeaseUntil, &j.ErrorMessage); err != nil {
		return j, err
	}
	return j, json.Unmarshal(headers, &j.Headers)
}

// ClaimJobs leases up to max activatable jobs of jobType to worker: oldest due first, skipping rows another
// transaction holds. The lease's end becomes the job's due time, so an abandoned job is activatable again
// exactly when its lease runs out.
func (s *Store) ClaimJobs(ctx context.Context, jobType, worker string, max int, lease time.Duration, now time.Time) ([]domain.Job, error) {
	until := now.Add(lease)
	rows, err := s.pool.Query(ctx, `UPDATE job SET worker = $2, epoch = epoch + 1, lease_until = $4, due_at = $4
WHERE id IN (SELECT id FROM job WHERE type = $1 AND retries > 0 AND NOT suspended AND due_at <= $3
             ORDER BY due_at LIMIT $5 FOR UPDATE SKIP LOCKED)
RETURNING `+jobColumns, jobType, worker, now, until, max)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	jobs, err := pgx.CollectRows(rows, scanJob)
	return jobs, pgstore.MapError(err)
}

// Job reads a job.
func (r queries) Job(ctx context.Context, id string) (domain.Job, error) {
	if !isUUID(id) {
		return domain.Job{}, notFound(pgx.ErrNoRows, domain.ReasonJobNotFound, "job")
	}
	return r.oneJob(ctx, `SELECT `+jobColumns+` FROM job WHERE id = $1`, id)
}

// LockJob reads a job and locks it until the transaction ends.
func (r queries) LockJob(ctx context.Context, id string) (domain.Job, error) {
	if !isUUID(id) {
		return domain.Job{}, notFound(pgx.ErrNoRows, domain.ReasonJobNotFound, "job")
	}
	return r.oneJob(ctx, `SELECT `+jobColumns+` FROM job WHERE id = $1 FOR UPDATE`, id)
}

func (r queries) oneJob(ctx context.Context, sql string, args ...any) (domain.Job, error) {
	rows, err := r.q.Query(ctx, sql, args...)
	if err != nil {
		return domain.Job{}, pgstore.MapError(err)
	}
	j, err := pgx.CollectExactlyOneRow(rows, scanJob)
	return j, notFound(err, domain.ReasonJobNotFound, "job")
}

// UpdateJob saves a job's retries, due time, lease and last error.
func (r queries) UpdateJob(ctx context.Context, j domain.Job) error {
	_, err := r.q.Exec(ctx, `UPDATE job SET retries = $2, due_at = $3, worker = $4, lease_until = $5, error_message = $6 WHERE id = $1`,
		j.ID, j.Retries, j.DueAt, nullable(j.Worker), j.LeaseUntil, j.ErrorMessage)
	return pgstore.MapError(err)
}

const timerColumns = `id::text, coalesce(instance_id::text, ''), coalesce(definition_id, ''), element_id, ei, due_at, repetition,
coalesce(owner, ''), epoch`

func scanTimer(row pgx.CollectableRow) (app.Timer, error) {
	var t app.Timer
	err := row.Scan(&t.ID, &t.InstanceID, &t.DefinitionID, &t.ElementID, &t.EI, &t.DueAt, &t.Repetition, &t.Owner, &t.Epoch)
	return t, err
}

// ClaimTimers leases up to max due timers to owner, earliest first, skipping rows another transaction holds.
func (s *Store) ClaimTimers(ctx context.Context, owner string, max int, lease time.Duration, now time.Time) ([]app.Timer, error) {
	rows, err := s.pool.Query(ctx, `UPDATE timer SET owner = $1, epoch = epoch + 1, lease_until = $3, fire_at = $3
WHERE id IN (SELECT id FROM timer WHERE NOT suspended AND fire_at <= $2 ORDER BY fire_at LIMIT $4 FOR UPDATE SKIP LOCKED)
RETURNING `+timerColumns, owner, now, now.Add(lease), max)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	ts, err := pgx.CollectRows(rows, scanTimer)
	return ts, pgstore.MapError(err)
}

// LockTimer locks a timer still held by owner at epoch.
func (r queries) LockTimer(ctx context.Context, id, owner string, epoch int) (app.Timer, bool, error) {
	rows, err := r.q.Query(ctx, `SELECT `+timerColumns+` FROM timer WHERE id = $1 AND owner = $2 AND epoch = $3 FOR UPDATE`, id, owner, epoch)
	if err != nil {
		return app.Timer{}, false, pgstore.MapError(err)
	}
	ts, err := pgx.CollectRows(rows, scanTimer)
	if err != nil || len(ts) == 0 {
		return app.Timer{}, false, pgstore.MapError(err)
	}
	return ts[0], true, nil
}

// RescheduleTimer sets a start timer's next due time and frees it.
func (r queries) RescheduleTimer(ctx context.Context, t app.Timer) error {
	_, err := r.q.Exec(ctx, `UPDATE timer SET due_at = $2, fire_at = $2, repetition = $3, owner = NULL, lease_until = NULL WHERE id = $1`,
		t.ID, t.DueAt, t.Repetition)
	return pgstore.MapError(err)
}

// DeleteTimer removes a timer.
func (r queries) DeleteTimer(ctx context.Context, id string) error {
	_, err := r.q.Exec(ctx, `DELETE FROM timer WHERE id = $1`, id)
	return pgstore.MapError(err)
}

// NextTimer is when the earliest unsuspended timer may be claimed.
func (r queries) NextTimer(ctx context.Context) (time.Time, error) {
	return r.earliest(ctx, `SELECT min(fire_at) FROM timer WHERE NOT suspended`)
}

// NextSignal is when the earliest signal may be claimed.
func (r queries) NextSignal(ctx context.Context) (time.Time, error) {
	return r.earliest(ctx, `SELECT min(fire_at) FROM signal`)
}

func (r queries) earliest(ctx context.Context, sql string) (time.Time, error) {
	var at *time.Time
	if err := r.q.QueryRow(ctx, sql).Scan(&at); err != nil || at == nil {
		return time.Time{}, pgstore.MapError(err)
	}
	return *at, nil
}

// ClaimSignals leases up to max due signals to owner.
func (s *Store) ClaimSignals(ctx context.Context, owner string, max int, lease time.Duration, now time.Time) ([]domain.Signal, error) {
	rows, err := s.pool.Query(ctx, `UPDATE signal SET owner = $1, epoch = epoch + 1, lease_until = $3, fire_at = $3
WHERE id IN (SELECT id FROM signal WHERE fire_at <= $2 ORDER BY fire_at LIMIT $4 FOR UPDATE SKIP LOCKED)
RETURNING id::text, coalesce(instance_id::text, ''), kind, payload, fire_at, coalesce(owner, ''), epoch, attempts`, owner, now, now.Add(lease), max)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Signal, error) {
		var s domain.Signal
		var kind string
		err := row.Scan(&s.ID, &s.InstanceID, &kind, &s.Payload, &s.FireAt, &s.Owner, &s.Epoch, &s.Attempts)
		s.Kind = domain.SignalKind(kind)
		return s, err
	})
	return out, pgstore.MapError(err)
}

// LockSignal locks a signal still held by owner at epoch.
func (r queries) LockSignal(ctx context.Context, id, owner string, epoch int) (bool, error) {
	var one int
	err := r.q.QueryRow(ctx, `SELECT 1 FROM signal WHERE id = $1 AND owner = $2 AND epoch = $3 FOR UPDATE`, id, owner, epoch).Scan(&one)
	if err == pgx.ErrNoRows {
		return false, nil
	}
	return err == nil, pgstore.MapError(err)
}

// DeleteSignal removes a handled signal.
func (r queries) DeleteSignal(ctx context.Context, id string) error {
	_, err := r.q.Exec(ctx, `DELETE FROM signal WHERE id = $1`, id)
	return pgstore.MapError(err)
}

// FailSignal frees a signal for another attempt at retryAt.
func (r queries) FailSignal(ctx context.Context, id string, retryAt time.Time) error {
	_, err := r.q.Exec(ctx, `UPDATE signal SET fire_at = $2, owner = NULL, lease_until = NULL, attempts = attempts + 1 WHERE id = $1`, id, retryAt)
	return pgstore.MapError(err)
}

// LockInstanceOfJob locks the instance of a job and then the job, in that order (the order of every
// transaction here), in one round trip: the two statements go in one batch.
func (t *txn) LockInstanceOfJob(ctx context.Context, jobID string) (domain.Instance, domain.Job, error) {
	if !isUUID(jobID) {
		return domain.Instance{}, domain.Job{}, notFound(pgx.ErrNoRows, domain.ReasonJobNotFound, "job")
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT `+instanceColumns+` FROM instance WHERE id = (SELECT instance_id FROM job WHERE id = $1) FOR UPDATE`, jobID)
	b.Queue(`SELECT `+jobColumns+` FROM job WHERE id = $1 FOR UPDATE`, jobID)
	res := t.tx.SendBatch(ctx, b)
	defer res.Close()
	rows, err := res.Query()
	if err != nil {
		return domain.Instance{}, domain.Job{}, pgstore.MapError(err)
	}
	inst, err := pgx.CollectExactlyOneRow(rows, scanInstance)
	if err != nil {
		return inst, domain.Job{}, notFound(err, domain.ReasonJobNotFound, "job")
	}
	if rows, err = res.Query(); err != nil {
		return inst, domain.Job{}, pgstore.MapError(err)
	}
	j, err := pgx.CollectExactlyOneRow(rows, scanJob)
	return inst, j, notFound(err, domain.ReasonJobNotFound, "job")
}
