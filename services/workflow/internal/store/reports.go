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

// History is an instance's audit trail, oldest first.
func (r queries) History(ctx context.Context, instanceID string) ([]domain.HistoryEntry, error) {
	rows, err := r.q.Query(ctx, `SELECT seq, coalesce(instance_id::text, ''), coalesce(definition_id, ''), at, kind, element_id,
actor, client, detail FROM history WHERE instance_id = $1 ORDER BY seq`, instanceID)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.HistoryEntry, error) {
		var h domain.HistoryEntry
		var detail []byte
		if err := row.Scan(&h.Seq, &h.InstanceID, &h.DefinitionID, &h.At, &h.Kind, &h.ElementID, &h.Actor, &h.Client, &detail); err != nil {
			return h, err
		}
		return h, json.Unmarshal(detail, &h.Detail)
	})
	return out, pgstore.MapError(err)
}

// overdueAfter is how late a timer must be to count as overdue on the dashboard.
const overdueAfter = time.Minute

// Status is the dashboard's summary.
func (r queries) Status(ctx context.Context, now time.Time) (app.Status, error) {
	var st app.Status
	rows, err := r.q.Query(ctx, `SELECT process_key, CASE WHEN suspended AND state = 'running' THEN 'suspended' ELSE state END s,
count(*) FROM instance GROUP BY 1, 2 ORDER BY 1, 2`)
	if err != nil {
		return st, pgstore.MapError(err)
	}
	st.Instances, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (app.InstanceCount, error) {
		var c app.InstanceCount
		var s string
		err := row.Scan(&c.ProcessKey, &s, &c.Count)
		c.State = domain.InstanceState(s)
		return c, err
	})
	if err != nil {
		return st, pgstore.MapError(err)
	}
	if err := r.q.QueryRow(ctx, `SELECT count(*) FILTER (WHERE due_at < $1), min(due_at) FILTER (WHERE due_at <= $2) FROM timer WHERE NOT suspended`,
		now.Add(-overdueAfter), now).Scan(&st.OverdueTimers, &st.OldestDueTimer); err != nil {
		return st, pgstore.MapError(err)
	}
	if err := r.q.QueryRow(ctx, `SELECT count(*) FROM incident WHERE state = 'open'`).Scan(&st.OpenIncidents); err != nil {
		return st, pgstore.MapError(err)
	}
	rows, err = r.q.Query(ctx, `SELECT type,
count(*) FILTER (WHERE retries > 0 AND due_at <= $1),
count(*) FILTER (WHERE worker IS NOT NULL AND lease_until > $1),
count(*) FILTER (WHERE retries > 0 AND worker IS NULL AND due_at > $1)
FROM job WHERE NOT suspended GROUP BY type ORDER BY type`, now)
	if err != nil {
		return st, pgstore.MapError(err)
	}
	st.JobBacklog, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (app.JobBacklog, error) {
		var b app.JobBacklog
		return b, row.Scan(&b.Type, &b.Waiting, &b.Active, &b.BackingOff)
	})
	return st, pgstore.MapError(err)
}
