package store

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/pgstore"

	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// jobChannel is the NOTIFY channel that tells every replica a job of a type (the payload) was created.
const jobChannel = "workflow_jobs"

// Write stores what a step did, in one round trip: every statement goes in one batch.
func (t *txn) Write(ctx context.Context, w app.StepWrite) error {
	b := &pgx.Batch{}
	suspended := false
	if i := w.Instance; i != nil {
		suspended = i.Suspended
		if err := queueInstance(b, *i, w.New); err != nil {
			return err
		}
	}
	for _, j := range w.Jobs {
		headers, err := json.Marshal(orEmptyStrings(j.Headers))
		if err != nil {
			return err
		}
		b.Queue(`INSERT INTO job (id, instance_id, process_key, element_id, ei, type, retries, headers, due_at, suspended)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, j.ID, j.InstanceID, j.ProcessKey, j.ElementID, j.EI, j.Type, j.Retries, headers, j.DueAt, suspended)
	}
	queueDelete(b, "job", w.DeleteJobs)
	for _, x := range w.Timers {
		b.Queue(`INSERT INTO timer (id, instance_id, element_id, ei, due_at, fire_at, suspended) VALUES ($1, $2, $3, $4, $5, $5, $6)`,
			x.ID, x.InstanceID, x.ElementID, x.EI, x.DueAt, suspended)
	}
	queueDelete(b, "timer", w.DeleteTimers)
	for _, s := range w.Subscriptions {
		b.Queue(`INSERT INTO subscription (id, instance_id, element_id, message_name, correlation_key) VALUES ($1, $2, $3, $4, $5)`,
			s.ID, s.InstanceID, s.ElementID, s.Name, s.CorrelationKey)
	}
	queueDelete(b, "subscription", w.DeleteSubscriptions)
	if err := queueTasks(b, w); err != nil {
		return err
	}
	if err := queueIncidents(b, w); err != nil {
		return err
	}
	if err := queueHistory(b, w.History); err != nil {
		return err
	}
	for _, s := range w.Signals {
		b.Queue(`INSERT INTO signal (id, instance_id, kind, payload, fire_at) VALUES ($1, $2, $3, $4, $5)`,
			s.ID, nullable(s.InstanceID), string(s.Kind), orJSON(s.Payload), s.FireAt)
	}
	queueDelete(b, "signal", w.DeleteSignals)
	for _, typ := range jobTypes(w.Jobs) {
		b.Queue(`SELECT pg_notify($1, $2)`, jobChannel, typ)
	}
	return t.send(ctx, b, w)
}

// send runs the batch; the instance's update must have found its revision (the first statement).
func (t *txn) send(ctx context.Context, b *pgx.Batch, w app.StepWrite) error {
	if b.Len() == 0 {
		return nil
	}
	res := t.tx.SendBatch(ctx, b)
	for i := range b.Len() {
		tag, err := res.Exec()
		if err != nil {
			_ = res.Close()
			return pgstore.MapError(err)
		}
		if i == 0 && w.Instance != nil && !w.New && tag.RowsAffected() != 1 {
			_ = res.Close()
			return apierr.Aborted("CONFLICT", "instance "+w.Instance.ID+" changed under its lock (revision mismatch)")
		}
	}
	return pgstore.MapError(res.Close())
}

func queueInstance(b *pgx.Batch, i domain.Instance, isNew bool) error {
	doc, err := json.Marshal(i.Doc)
	if err != nil {
		return err
	}
	if isNew {
		b.Queue(`INSERT INTO instance (id, definition_id, process_key, version, state, suspended, business_key, idempotency_key,
parent_id, started_by, doc, rev, open_incidents, error_code, started_at, updated_at, ended_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`, i.ID, i.DefinitionID, i.ProcessKey, i.Version,
			string(i.State), i.Suspended, nullable(i.BusinessKey), nullable(i.IdempotencyKey), nullable(i.ParentID), i.StartedBy, doc,
			i.Rev, i.OpenIncidents, i.ErrorCode, i.StartedAt, i.UpdatedAt, i.EndedAt)
		return nil
	}
	b.Queue(`UPDATE instance SET state = $3, suspended = $4, doc = $5, rev = $6, open_incidents = $7, error_code = $8,
updated_at = $9, ended_at = $10 WHERE id = $1 AND rev = $2`, i.ID, i.Rev-1, string(i.State), i.Suspended, doc, i.Rev,
		i.OpenIncidents, i.ErrorCode, i.UpdatedAt, i.EndedAt)
	return nil
}

func queueDelete(b *pgx.Batch, table string, ids []string) {
	if len(ids) > 0 {
		b.Queue(`DELETE FROM `+table+` WHERE id = ANY($1::uuid[])`, ids)
	}
}

func queueTasks(b *pgx.Batch, w app.StepWrite) error {
	for _, t := range w.UserTasks {
		var form []byte
		if t.Form != nil {
			var err error
			if form, err = json.Marshal(t.Form); err != nil {
				return err
			}
		}
		b.Queue(`INSERT INTO user_task (id, instance_id, process_key, element_id, name, state, assignee, candidate_groups,
candidate_users, form_key, form, due_at, follow_up_at, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, t.ID, t.InstanceID, t.ProcessKey, t.ElementID, t.Name,
			t.State, t.Assignee, orNone(t.CandidateGroups), orNone(t.CandidateUsers), t.FormKey, form, t.DueAt, t.FollowUpAt, t.CreatedAt)
	}
	if len(w.CancelUserTasks) > 0 {
		b.Queue(`UPDATE user_task SET state = 'cancelled', completed_at = now() WHERE id = ANY($1::uuid[]) AND state = 'created'`, w.CancelUserTasks)
	}
	return nil
}

func queueIncidents(b *pgx.Batch, w app.StepWrite) error {
	for _, i := range w.Incidents {
		b.Queue(`INSERT INTO incident (id, instance_id, process_key, element_id, ei, kind, message, job_id, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, i.ID, i.InstanceID, i.ProcessKey, i.ElementID, i.EI, i.Kind, i.Message, nullable(i.JobID), i.CreatedAt)
	}
	if len(w.ResolveIncidents) > 0 {
		b.Queue(`UPDATE incident SET state = 'resolved', resolved_at = now() WHERE id = ANY($1::uuid[]) AND state = 'open'`, w.ResolveIncidents)
	}
	if w.ResolveAllIncidents && w.Instance != nil {
		b.Queue(`UPDATE incident SET state = 'resolved', resolved_at = now() WHERE instance_id = $1 AND state = 'open'`, w.Instance.ID)
	}
	return nil
}

// queueHistory writes the audit lines with one statement.
func queueHistory(b *pgx.Batch, entries []domain.HistoryEntry) error {
	if len(entries) == 0 {
		return nil
	}
	n := len(entries)
	inst, def, kind, elem, actor, client := make([]*string, n), make([]*string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	at, detail := make([]any, n), make([]string, n)
	for i, h := range entries {
		d, err := json.Marshal(orEmpty(h.Detail))
		if err != nil {
			return err
		}
		inst[i], def[i], kind[i], elem[i], actor[i], client[i], at[i], detail[i] = nullable(h.InstanceID), nullable(h.DefinitionID),
			h.Kind, h.ElementID, h.Actor, h.Client, h.At, string(d)
	}
	b.Queue(`INSERT INTO history (instance_id, definition_id, at, kind, element_id, actor, client, detail)
SELECT i::uuid, d, a, k, e, ac, c, x::jsonb FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[],
$7::text[], $8::text[]) AS u(i, d, a, k, e, ac, c, x)`, inst, def, at, kind, elem, actor, client, detail)
	return nil
}

func jobTypes(jobs []domain.Job) []string {
	var out []string
	for _, j := range jobs {
		if !slices.Contains(out, j.Type) {
			out = append(out, j.Type)
		}
	}
	return out
}

func orNone(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func orEmptyStrings(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func orJSON(b []byte) []byte {
	if len(b) == 0 {
		return []byte("{}")
	}
	return b
}
