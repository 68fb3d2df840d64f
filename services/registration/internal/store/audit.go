package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// AddAudit appends e to the append-only audit table, in the transaction of the decision it records.
func (t *tx) AddAudit(ctx context.Context, e domain.AuditEntry) error {
	detail, err := json.Marshal(jsonObject(e.Detail))
	if err != nil {
		return fmt.Errorf("audit detail: %w", err)
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO audit (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)`,
		e.At, e.ActorID, e.Action, e.Subject, detail)
	return mapErr(err)
}
