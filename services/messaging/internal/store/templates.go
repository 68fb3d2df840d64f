package store

import (
	"context"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

const templateColumns = `name, channel, language, version, subject, text_body, html_body, created_at`

func scanTemplate(row pgx.Row) (domain.Template, error) {
	var t domain.Template
	var ch string
	err := row.Scan(&t.Name, &ch, &t.Language, &t.Version, &t.Subject, &t.TextBody, &t.HTMLBody, &t.CreatedAt)
	t.Channel = domain.Channel(ch)
	return t, err
}

// CreateTemplateVersion stores t as the next version of (name, channel, language). Two concurrent creates
// compute the same number; the primary key refuses the second (AlreadyExists).
func (s *Store) CreateTemplateVersion(ctx context.Context, t domain.Template) (domain.Template, error) {
	out, err := scanTemplate(s.pool.QueryRow(ctx, `INSERT INTO template (name, channel, language, version, subject, text_body, html_body)
		SELECT $1, $2, $3, coalesce(max(version), 0) + 1, $4, $5, $6 FROM template
		WHERE name = $1 AND channel = $2 AND language = $3
		RETURNING `+templateColumns, t.Name, string(t.Channel), t.Language, t.Subject, t.TextBody, t.HTMLBody))
	return out, pgstore.MapError(err)
}

// Template reads a version of a template; version 0 is the latest.
func (s *Store) Template(ctx context.Context, name string, c domain.Channel, lang string, version int) (domain.Template, error) {
	t, err := template(ctx, s.pool, name, c, lang, version)
	return t, pgstore.MapError(err)
}

// LatestTemplate is the newest version of a template, inside the transaction (the event consumer renders
// inside its inbox transaction).
func (t *tx) LatestTemplate(ctx context.Context, name string, c domain.Channel, lang string) (domain.Template, error) {
	return template(ctx, t.tx, name, c, lang, 0)
}

func template(ctx context.Context, q querier, name string, c domain.Channel, lang string, version int) (domain.Template, error) {
	return scanTemplate(q.QueryRow(ctx, `SELECT `+templateColumns+` FROM template
		WHERE name = $1 AND channel = $2 AND language = $3 AND ($4 = 0 OR version = $4)
		ORDER BY version DESC LIMIT 1`, name, string(c), lang, version))
}

// LatestTemplates lists the latest version of each template.
func (s *Store) LatestTemplates(ctx context.Context) ([]domain.Template, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT ON (name, channel, language) `+templateColumns+`
		FROM template ORDER BY name, channel, language, version DESC`)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	ts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Template, error) { return scanTemplate(r) })
	return ts, pgstore.MapError(err)
}
