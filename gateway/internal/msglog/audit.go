package msglog

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// auditChain is the one chain every replica appends admin changes to.
const auditChain = "audit"

// Audit records one admin change inside tx, the transaction that makes the change, so both commit or
// neither does. It matches registry.AuditFunc. The audit chain's head row is locked FOR UPDATE, so concurrent
// admin changes (in any replica) append one after another instead of forking the chain.
func (l *Log) Audit(ctx context.Context, tx pgx.Tx, actor, action, target string, detail any) error {
	detailJSON := ""
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("msglog: audit detail: %w", err)
		}
		detailJSON = string(b)
	}
	var headSeq int64
	var headHash []byte
	var headTime *time.Time
	err := tx.QueryRow(ctx, `SELECT c.head_seq, c.head_hash,
			(SELECT logged_at FROM im_msglog_record r WHERE r.chain_id = c.chain_id AND r.seq = c.head_seq)
		FROM im_msglog_chain c WHERE c.chain_id = $1 FOR UPDATE`, auditChain).Scan(&headSeq, &headHash, &headTime)
	if err != nil {
		return fmt.Errorf("msglog: lock the audit chain: %w", err)
	}
	now := time.Now()
	if headTime != nil {
		now = maxTime(*headTime, now) // replicas' clocks differ; keep logged_at monotonic for retention
	}
	rec := Record{
		MessageID: requestIDOrNew(ctx), Direction: Audit, Actor: actor, Action: action, Target: target,
		Detail: detailJSON, Started: now, Finished: now, LoggedAt: now, TraceID: traceID(ctx),
	}
	seal(&rec, auditChain, headSeq+1, headHash, l.key, l.keyID)
	return insertRecords(ctx, tx, headSeq, []Record{rec})
}
