package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// AddDocuments stores uploaded documents in one transaction: all or none.
func (s *Store) AddDocuments(ctx context.Context, docs []domain.Document) error {
	return s.inTx(ctx, func(pt pgx.Tx) ([]domain.Event, error) {
		for _, d := range docs {
			_, err := pt.Exec(ctx, `INSERT INTO documents (id, name, content_type, size, sha256, content, metadata, uploaded_by, created)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
				d.ID, d.Name, d.ContentType, d.Size, d.SHA256, d.Content, d.Metadata, d.UploadedBy, d.Created)
			if err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
}

// Document returns a document with its content; 404 DOCUMENT_NOT_FOUND.
func (s *Store) Document(ctx context.Context, id string) (domain.Document, error) {
	var d domain.Document
	err := s.pool.QueryRow(ctx, `SELECT id::text, name, content_type, size, sha256, content, metadata, uploaded_by, created
		FROM documents WHERE id = $1`, id).
		Scan(&d.ID, &d.Name, &d.ContentType, &d.Size, &d.SHA256, &d.Content, &d.Metadata, &d.UploadedBy, &d.Created)
	if err != nil {
		return d, esNotFound(err, "DOCUMENT_NOT_FOUND", "no document with id "+id)
	}
	return d, nil
}

// ExistingDocuments returns which of ids are stored documents.
func (s *Store) ExistingDocuments(ctx context.Context, ids []string) (map[string]bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT id::text FROM documents WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, mapErr(err)
		}
		out[id] = true
	}
	return out, mapErr(rows.Err())
}
