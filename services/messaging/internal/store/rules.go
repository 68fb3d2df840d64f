package store

import (
	"context"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

const ruleColumns = `id, event_type, template_name, channel, language, recipient_pointer, condition_pointer,
	condition_value, transactional`

func collectRules(rows pgx.Rows, err error) ([]domain.Rule, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Rule, error) {
		var x domain.Rule
		var ch string
		err := r.Scan(&x.ID, &x.EventType, &x.TemplateName, &ch, &x.Language, &x.RecipientPointer,
			&x.ConditionPointer, &x.ConditionValue, &x.Transactional)
		x.Channel = domain.Channel(ch)
		return x, err
	})
}

// Rules lists the enabled notification rules.
func (s *Store) Rules(ctx context.Context) ([]domain.Rule, error) {
	rules, err := collectRules(s.pool.Query(ctx, `SELECT `+ruleColumns+` FROM notification_rule WHERE enabled ORDER BY id`))
	return rules, pgstore.MapError(err)
}

// RulesFor lists the enabled rules of one event type, inside the consumer's transaction.
func (t *tx) RulesFor(ctx context.Context, eventType string) ([]domain.Rule, error) {
	return collectRules(t.tx.Query(ctx, `SELECT `+ruleColumns+` FROM notification_rule
		WHERE enabled AND event_type = $1 ORDER BY id`, eventType))
}
