package store

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/pgstore"

	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

const definitionColumns = `id, key, version, name, type, is_closed, description, version_tag, category, bpmn_xml, start_events,
enabled, deleted, deployed_at, deployed_by`

func scanDefinition(row pgx.CollectableRow) (domain.Definition, error) {
	var d domain.Definition
	err := row.Scan(&d.ID, &d.Key, &d.Version, &d.Name, &d.Type, &d.IsClosed, &d.Description, &d.VersionTag, &d.Category,
		&d.XML, &d.StartEvents, &d.Enabled, &d.Deleted, &d.DeployedAt, &d.DeployedBy)
	return d, err
}

func (r queries) oneDefinition(ctx context.Context, sql string, args ...any) (domain.Definition, error) {
	rows, err := r.q.Query(ctx, sql, args...)
	if err != nil {
		return domain.Definition{}, pgstore.MapError(err)
	}
	d, err := pgx.CollectExactlyOneRow(rows, scanDefinition)
	return d, notFound(err, domain.ReasonProcessNotFound, "process")
}

// Definition reads a version by id.
func (r queries) Definition(ctx context.Context, id string) (domain.Definition, error) {
	return r.oneDefinition(ctx, `SELECT `+definitionColumns+` FROM process_definition WHERE id = $1`, id)
}

// DefinitionIn is Definition in a transaction.
func (r queries) DefinitionIn(ctx context.Context, id string) (domain.Definition, error) {
	return r.Definition(ctx, id)
}

// LatestDefinition reads the newest version of key that is not deleted (and enabled, when enabledOnly).
func (r queries) LatestDefinition(ctx context.Context, key string, enabledOnly bool) (domain.Definition, error) {
	return r.oneDefinition(ctx, `SELECT `+definitionColumns+` FROM process_definition
WHERE key = $1 AND NOT deleted AND (enabled OR NOT $2) ORDER BY version DESC LIMIT 1`, key, enabledOnly)
}

// LatestDefinitionIn is LatestDefinition in a transaction.
func (r queries) LatestDefinitionIn(ctx context.Context, key string, enabledOnly bool) (domain.Definition, error) {
	return r.LatestDefinition(ctx, key, enabledOnly)
}

// Definitions lists the latest enabled version of each process, or (all) every version not deleted.
func (r queries) Definitions(ctx context.Context, all bool) ([]domain.Definition, error) {
	sql := `SELECT DISTINCT ON (key) ` + definitionColumns + ` FROM process_definition
WHERE enabled AND NOT deleted ORDER BY key, version DESC`
	if all {
		sql = `SELECT ` + definitionColumns + ` FROM process_definition WHERE NOT deleted ORDER BY key, version DESC`
	}
	rows, err := r.q.Query(ctx, sql)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	ds, err := pgx.CollectRows(rows, scanDefinition)
	return ds, pgstore.MapError(err)
}

// NextVersion serialises deploys of key (an advisory lock until the transaction ends) and returns the next
// version number: two replicas deploying at once get versions n and n+1, not both n.
func (r queries) NextVersion(ctx context.Context, key string) (int, error) {
	if _, err := r.q.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('workflow-deploy:' || $1, 0))`, key); err != nil {
		return 0, pgstore.MapError(err)
	}
	var v int
	err := r.q.QueryRow(ctx, `SELECT coalesce(max(version), 0) + 1 FROM process_definition WHERE key = $1`, key).Scan(&v)
	return v, pgstore.MapError(err)
}

// InsertDefinition stores a new version.
func (r queries) InsertDefinition(ctx context.Context, d domain.Definition) error {
	if d.StartEvents == nil {
		d.StartEvents = []string{}
	}
	_, err := r.q.Exec(ctx, `INSERT INTO process_definition (id, key, version, name, type, is_closed, description, version_tag,
category, bpmn_xml, start_events, enabled, deleted, deployed_at, deployed_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`, d.ID, d.Key, d.Version, d.Name, d.Type, d.IsClosed,
		d.Description, d.VersionTag, d.Category, d.XML, d.StartEvents, d.Enabled, d.Deleted, d.DeployedAt, d.DeployedBy)
	return pgstore.MapError(err)
}

// SetDefinitionState sets a version's enabled and deleted flags.
func (r queries) SetDefinitionState(ctx context.Context, id string, enabled, deleted bool) error {
	tag, err := r.q.Exec(ctx, `UPDATE process_definition SET enabled = $2, deleted = $3 WHERE id = $1`, id, enabled, deleted)
	if err == nil && tag.RowsAffected() == 0 {
		err = pgx.ErrNoRows
	}
	return notFound(err, domain.ReasonProcessNotFound, "process")
}

// ReplaceStarts makes key's start timers and message starts those given (of def, the latest enabled
// version; none when def is nil).
func (r queries) ReplaceStarts(ctx context.Context, key string, def *domain.Definition, timers []app.Timer, messages []app.MessageStart) error {
	if _, err := r.q.Exec(ctx, `DELETE FROM timer WHERE instance_id IS NULL AND definition_id IN
(SELECT id FROM process_definition WHERE key = $1)`, key); err != nil {
		return pgstore.MapError(err)
	}
	if _, err := r.q.Exec(ctx, `DELETE FROM message_start WHERE definition_id IN (SELECT id FROM process_definition WHERE key = $1)`, key); err != nil {
		return pgstore.MapError(err)
	}
	if def == nil {
		return nil
	}
	for _, t := range timers {
		if _, err := r.q.Exec(ctx, `INSERT INTO timer (id, definition_id, element_id, due_at, fire_at) VALUES ($1, $2, $3, $4, $4)`,
			t.ID, def.ID, t.ElementID, t.DueAt); err != nil {
			return pgstore.MapError(err)
		}
	}
	for _, m := range messages {
		if _, err := r.q.Exec(ctx, `INSERT INTO message_start (message_name, definition_id, element_id) VALUES ($1, $2, $3)`,
			m.Name, def.ID, m.ElementID); err != nil {
			return pgstore.MapError(err)
		}
	}
	return nil
}

// MessageStarts are the message start events for name.
func (r queries) MessageStarts(ctx context.Context, name string) ([]app.MessageStart, error) {
	rows, err := r.q.Query(ctx, `SELECT message_name, definition_id, element_id FROM message_start WHERE message_name = $1
ORDER BY definition_id, element_id`, name)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (app.MessageStart, error) {
		var m app.MessageStart
		return m, row.Scan(&m.Name, &m.DefinitionID, &m.ElementID)
	})
	return out, pgstore.MapError(err)
}

// InsertForm stores the next version of a form.
func (r queries) InsertForm(ctx context.Context, f domain.Form) (domain.Form, error) {
	schema, err := json.Marshal(f.Schema)
	if err != nil {
		return f, err
	}
	if _, err := r.q.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('workflow-form:' || $1, 0))`, f.ID); err != nil {
		return f, pgstore.MapError(err)
	}
	err = r.q.QueryRow(ctx, `INSERT INTO form (id, version, schema)
SELECT $1, coalesce(max(version), 0) + 1, $2 FROM form WHERE id = $1 RETURNING version`, f.ID, schema).Scan(&f.Version)
	return f, pgstore.MapError(err)
}

// Form reads the latest version of a form.
func (r queries) Form(ctx context.Context, id string) (domain.Form, error) {
	f := domain.Form{ID: id}
	var schema []byte
	err := r.q.QueryRow(ctx, `SELECT version, schema FROM form WHERE id = $1 ORDER BY version DESC LIMIT 1`, id).Scan(&f.Version, &schema)
	if err != nil {
		return f, notFound(err, domain.ReasonFormNotFound, "form")
	}
	return f, json.Unmarshal(schema, &f.Schema)
}

// FormIn is Form in a transaction.
func (r queries) FormIn(ctx context.Context, id string) (domain.Form, error) { return r.Form(ctx, id) }

// InsertFlowTrigger stores a flow trigger.
func (r queries) InsertFlowTrigger(ctx context.Context, t domain.FlowTrigger) error {
	_, err := r.q.Exec(ctx, `INSERT INTO flow_trigger (id, source_key, on_state, target_key, created_at) VALUES ($1, $2, $3, $4, $5)`,
		t.ID, t.SourceKey, string(t.On), t.TargetKey, t.CreatedAt)
	return pgstore.MapError(err)
}

// DeleteFlowTrigger removes a flow trigger.
func (r queries) DeleteFlowTrigger(ctx context.Context, id string) error {
	tag, err := r.q.Exec(ctx, `DELETE FROM flow_trigger WHERE id::text = $1`, id)
	if err == nil && tag.RowsAffected() == 0 {
		err = pgx.ErrNoRows
	}
	return notFound(err, domain.ReasonTriggerNotFound, "flow trigger")
}

func (r queries) flowTriggers(ctx context.Context, where string, args ...any) ([]domain.FlowTrigger, error) {
	rows, err := r.q.Query(ctx, `SELECT id::text, source_key, on_state, target_key, created_at FROM flow_trigger `+where+` ORDER BY created_at`, args...)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.FlowTrigger, error) {
		var t domain.FlowTrigger
		var on string
		err := row.Scan(&t.ID, &t.SourceKey, &on, &t.TargetKey, &t.CreatedAt)
		t.On = domain.InstanceState(on)
		return t, err
	})
	return out, pgstore.MapError(err)
}

// FlowTriggers lists every flow trigger.
func (r queries) FlowTriggers(ctx context.Context) ([]domain.FlowTrigger, error) {
	return r.flowTriggers(ctx, "")
}

// FlowTriggersFor lists the triggers of instances of key ending in state on.
func (r queries) FlowTriggersFor(ctx context.Context, key string, on domain.InstanceState) ([]domain.FlowTrigger, error) {
	return r.flowTriggers(ctx, `WHERE source_key = $1 AND on_state = $2`, key, string(on))
}

// AppendHistory writes audit lines.
func (r queries) AppendHistory(ctx context.Context, entries ...domain.HistoryEntry) error {
	for _, h := range entries {
		detail, err := json.Marshal(orEmpty(h.Detail))
		if err != nil {
			return err
		}
		if _, err := r.q.Exec(ctx, `INSERT INTO history (instance_id, definition_id, at, kind, element_id, actor, client, detail)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, nullable(h.InstanceID), nullable(h.DefinitionID), h.At, h.Kind, h.ElementID, h.Actor, h.Client, detail); err != nil {
			return pgstore.MapError(err)
		}
	}
	return nil
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
