package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/platform/pgstore"
)

// AuditRecord is one row of the append-only audit table.
type AuditRecord struct {
	ID      int64
	At      time.Time
	ActorID string
	Action  string
	Subject string
	Detail  map[string]any
}

// InsertAudit appends r (ID is assigned).
func InsertAudit(ctx context.Context, q Querier, r AuditRecord) error {
	detail, err := json.Marshal(jsonObject(r.Detail))
	if err != nil {
		return fmt.Errorf("audit detail: %w", err)
	}
	_, err = q.Exec(ctx, `INSERT INTO audit (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)`,
		r.At, r.ActorID, r.Action, r.Subject, detail)
	return pgstore.MapError(err)
}
