package store

import (
	"context"
	"errors"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// documentColumns are a document's columns but its content.
const documentColumns = `id::text, appointment_id::text, kind, file_name, content_type, octet_length(content), uploaded_by, created_at`

// InsertDocument stores a document of an appointment.
func (r queries) InsertDocument(ctx context.Context, d domain.Document) error {
	_, err := r.q.Exec(ctx, `INSERT INTO appointment_document (id, appointment_id, kind, file_name, content_type, content,
uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		d.ID, d.AppointmentID, d.Kind, d.FileName, d.ContentType, d.Content, d.UploadedBy, d.Created)
	return mapError(err)
}

// CountDocuments is how many documents an appointment has.
func (r queries) CountDocuments(ctx context.Context, appointmentID string) (int, error) {
	var n int
	err := r.q.QueryRow(ctx, `SELECT count(*) FROM appointment_document WHERE appointment_id = $1`, appointmentID).Scan(&n)
	return n, mapError(err)
}

// Documents lists an appointment's documents, oldest first, without their content.
func (r queries) Documents(ctx context.Context, appointmentID string) ([]domain.Document, error) {
	rows, err := r.q.Query(ctx, `SELECT `+documentColumns+` FROM appointment_document WHERE appointment_id = $1
ORDER BY created_at, id`, appointmentID)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []domain.Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, mapError(rows.Err())
}

// Document reads one document with its content.
func (r queries) Document(ctx context.Context, id string) (domain.Document, error) {
	var d domain.Document
	err := r.q.QueryRow(ctx, `SELECT `+documentColumns+`, content FROM appointment_document WHERE id = $1`, id).Scan(
		&d.ID, &d.AppointmentID, &d.Kind, &d.FileName, &d.ContentType, &d.Size, &d.UploadedBy, &d.Created, &d.Content)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, apierr.NotFound(domain.ReasonNotFound, "document not found")
	}
	return d, mapError(err)
}

func scanDocument(row pgx.Row) (domain.Document, error) {
	var d domain.Document
	err := row.Scan(&d.ID, &d.AppointmentID, &d.Kind, &d.FileName, &d.ContentType, &d.Size, &d.UploadedBy, &d.Created)
	return d, mapError(err)
}
