package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

const templateColumns = `name, channel, language, version, subject, text_body, html_body, created_at`

func scanTemplate(row pgx.Row) (domain.Template, time.Time, error) {
	var t domain.Template
	var ch string
	var at time.Time
	err := row.Scan(&t.Name, &ch, &t.Language, &t.Version, &t.Subject, &t.TextBody, &t.HTMLBody, &at)
	t.Channel = domain.Channel(ch)
	return t, at, err
}

// CreateTemplateVersion stores t as the next version of (name, channel, language). Two concurrent creates
// compute the same number; the primary key refuses the second (AlreadyExists after mapping).
func (s *Store) CreateTemplateVersion(ctx context.Context, t domain.Template) (domain.Template, time.Time, error) {
	return scanTemplate(s.pool.QueryRow(ctx, `INSERT INTO template (name, channel, language, version, subject, text_body, html_body)
		SELECT $1, $2, $3, coalesce(max(version), 0) + 1, $4, $5, $6 FROM template
		WHERE name = $1 AND channel = $2 AND language = $3
		RETURNING `+templateColumns, t.Name, string(t.Channel), t.Language, t.Subject, t.TextBody, t.HTMLBody))
}

// Template reads a version of a template; version 0 is the latest.
func (s *Store) Template(ctx context.Context, name string, c domain.Channel, lang string, version int) (domain.Template, time.Time, error) {
	return scanTemplate(s.pool.QueryRow(ctx, `SELECT `+templateColumns+` FROM template
		WHERE name = $1 AND channel = $2 AND language = $3 AND ($4 = 0 OR version = $4)
		ORDER BY version DESC LIMIT 1`, name, string(c), lang, version))
}

// TemplateTx is Template inside a transaction (the event consumer renders inside its inbox transaction).
func (t Tx) Template(ctx context.Context, name string, c domain.Channel, lang string) (domain.Template, error) {
	tpl, _, err := scanTemplate(t.tx.QueryRow(ctx, `SELECT `+templateColumns+` FROM template
		WHERE name = $1 AND channel = $2 AND language = $3 ORDER BY version DESC LIMIT 1`, name, string(c), lang))
	return tpl, err
}

// TemplateWithTime pairs a template with its creation time.
type TemplateWithTime struct {
	domain.Template
	CreatedAt time.Time
}

// LatestTemplates lists the latest version of each template.
func (s *Store) LatestTemplates(ctx context.Context) ([]TemplateWithTime, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT ON (name, channel, language) `+templateColumns+`
		FROM template ORDER BY name, channel, language, version DESC`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TemplateWithTime, error) {
		t, at, err := scanTemplate(r)
		return TemplateWithTime{t, at}, err
	})
}

// OptOutEntry is one opt-out row.
type OptOutEntry struct {
	Channel   domain.Channel
	Address   string
	CreatedAt time.Time
}

// AddOptOut adds an address (idempotent).
func (s *Store) AddOptOut(ctx context.Context, c domain.Channel, addr string) (OptOutEntry, error) {
	e := OptOutEntry{Channel: c, Address: addr}
	err := s.pool.QueryRow(ctx, `INSERT INTO opt_out (channel, address) VALUES ($1, $2)
		ON CONFLICT (channel, address) DO UPDATE SET address = EXCLUDED.address RETURNING created_at`,
		string(c), addr).Scan(&e.CreatedAt)
	return e, err
}

// RemoveOptOut removes an address; NotFound when it is not listed.
func (s *Store) RemoveOptOut(ctx context.Context, c domain.Channel, addr string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM opt_out WHERE channel = $1 AND address = $2`, string(c), addr)
	if err == nil && tag.RowsAffected() == 0 {
		return pgx.ErrNoRows
	}
	return err
}

// OptOuts lists the opt-out list.
func (s *Store) OptOuts(ctx context.Context) ([]OptOutEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT channel, address, created_at FROM opt_out ORDER BY channel, address`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanOptOut)
}

// OptOutsOf lists the entries of one address of channel c, its mailbox name compared without regard to
// case (zero or one entry in practice).
func (s *Store) OptOutsOf(ctx context.Context, c domain.Channel, addr string) ([]OptOutEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT channel, address, created_at FROM opt_out
		WHERE channel = $1 AND lower(address) = lower($2) ORDER BY address`, string(c), addr)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanOptOut)
}

func scanOptOut(r pgx.CollectableRow) (OptOutEntry, error) {
	var e OptOutEntry
	var ch string
	err := r.Scan(&ch, &e.Address, &e.CreatedAt)
	e.Channel = domain.Channel(ch)
	return e, err
}

const ruleColumns = `id, event_type, template_name, channel, language, recipient_pointer, condition_pointer,
	condition_value, transactional`

func scanRule(r pgx.CollectableRow) (domain.Rule, error) {
	var x domain.Rule
	var ch string
	err := r.Scan(&x.ID, &x.EventType, &x.TemplateName, &ch, &x.Language, &x.RecipientPointer,
		&x.ConditionPointer, &x.ConditionValue, &x.Transactional)
	x.Channel = domain.Channel(ch)
	return x, err
}

// Rules lists the enabled notification rules.
func (s *Store) Rules(ctx context.Context) ([]domain.Rule, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+ruleColumns+` FROM notification_rule WHERE enabled ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanRule)
}

// RulesFor lists the enabled rules of one event type, inside the consumer's transaction.
func (t Tx) RulesFor(ctx context.Context, eventType string) ([]domain.Rule, error) {
	rows, err := t.tx.Query(ctx, `SELECT `+ruleColumns+` FROM notification_rule
		WHERE enabled AND event_type = $1 ORDER BY id`, eventType)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanRule)
}
