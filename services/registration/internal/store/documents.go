package store

import (
	"context"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// InsertDocument stores an uploaded document.
func InsertDocument(ctx context.Context, q Querier, d domain.Document) error {
	_, err := q.Exec(ctx, `INSERT INTO documents (id, name, content_type, size, sha256, content, metadata, uploaded_by, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		d.ID, d.Name, d.ContentType, d.Size, d.SHA256, d.Content, d.Metadata, d.UploadedBy, d.Created)
	return pgstore.MapError(err)
}

// GetDocument returns a document with its content; 404 DOCUMENT_NOT_FOUND.
func GetDocument(ctx context.Context, q Querier, id string) (domain.Document, error) {
	var d domain.Document
	err := q.QueryRow(ctx, `SELECT id::text, name, content_type, size, sha256, content, metadata, uploaded_by, created
		FROM documents WHERE id = $1`, id).
		Scan(&d.ID, &d.Name, &d.ContentType, &d.Size, &d.SHA256, &d.Content, &d.Metadata, &d.UploadedBy, &d.Created)
	if err != nil {
		return d, esNotFound(err, "DOCUMENT_NOT_FOUND", "no document with id "+id)
	}
	return d, nil
}

// ExistingDocuments returns which of ids are stored documents.
func ExistingDocuments(ctx context.Context, q Querier, ids []string) (map[string]bool, error) {
	rows, err := q.Query(ctx, `SELECT id::text FROM documents WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, pgstore.MapError(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, pgstore.MapError(err)
		}
		out[id] = true
	}
	return out, pgstore.MapError(rows.Err())
}
