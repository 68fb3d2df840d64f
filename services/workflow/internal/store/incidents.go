package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/pgstore"

	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

const incidentColumns = `id::text, instance_id::text, process_key, element_id, ei, kind, message, coalesce(job_id::text, ''),
state = 'open', created_at, resolved_at`

func scanIncident(row pgx.CollectableRow) (domain.Incident, error) {
	var i domain.Incident
	err := row.Scan(&i.ID, &i.InstanceID, &i.ProcessKey, &i.ElementID, &i.EI, &i.Kind, &i.Message, &i.JobID, &i.Open, &i.CreatedAt, &i.ResolvedAt)
	return i, err
}

// Incidents lists incidents, oldest first.
func (r queries) Incidents(ctx context.Context, f app.IncidentFilter) ([]domain.Incident, error) {
	rows, err := r.q.Query(ctx, `SELECT `+incidentColumns+` FROM incident
WHERE (state = 'open') = $1 AND ($2 = '' OR instance_id::text = $2) ORDER BY created_at, id LIMIT 1000`, f.Open, f.InstanceID)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	out, err := pgx.CollectRows(rows, scanIncident)
	return out, pgstore.MapError(err)
}

// Incident reads an incident.
func (r queries) Incident(ctx context.Context, id string) (domain.Incident, error) {
	return r.oneIncident(ctx, `SELECT `+incidentColumns+` FROM incident WHERE id::text = $1`, id)
}

// LockIncident reads an incident and locks it until the transaction ends.
func (r queries) LockIncident(ctx context.Context, id string) (domain.Incident, error) {
	return r.oneIncident(ctx, `SELECT `+incidentColumns+` FROM incident WHERE id::text = $1 FOR UPDATE`, id)
}

func (r queries) oneIncident(ctx context.Context, sql string, args ...any) (domain.Incident, error) {
	rows, err := r.q.Query(ctx, sql, args...)
	if err != nil {
		return domain.Incident{}, pgstore.MapError(err)
	}
	i, err := pgx.CollectExactlyOneRow(rows, scanIncident)
	return i, notFound(err, domain.ReasonIncidentNotFound, "incident")
}

// SaveIncident saves whether an incident is open.
func (r queries) SaveIncident(ctx context.Context, i domain.Incident) error {
	_, err := r.q.Exec(ctx, `UPDATE incident SET state = CASE WHEN $2 THEN 'open' ELSE 'resolved' END, resolved_at = $3 WHERE id = $1`,
		i.ID, i.Open, i.ResolvedAt)
	return pgstore.MapError(err)
}

// InsertIncident stores an incident.
func (r queries) InsertIncident(ctx context.Context, i domain.Incident) error {
	_, err := r.q.Exec(ctx, `INSERT INTO incident (id, instance_id, process_key, element_id, ei, kind, message, job_id, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, i.ID, i.InstanceID, i.ProcessKey, i.ElementID, i.EI, i.Kind, i.Message, nullable(i.JobID), i.CreatedAt)
	return pgstore.MapError(err)
}
