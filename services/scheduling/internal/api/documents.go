package api

import (
	"context"

	"google.golang.org/genproto/googleapis/api/httpbody"

	"github.com/govstackbb/marketplace/platform/download"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/app"
)

// UploadAppointmentDocument attaches a document to an appointment.
func (b *Booking) UploadAppointmentDocument(ctx context.Context, r *schedulingv1.UploadAppointmentDocumentRequest) (*schedulingv1.UploadAppointmentDocumentResponse, error) {
	d, err := b.app.UploadDocument(ctx, app.DocumentUpload{AppointmentID: r.GetAppointmentId(), Kind: r.GetKind(),
		FileName: r.GetFileName(), Content: r.GetContent()})
	if err != nil {
		return nil, err
	}
	return &schedulingv1.UploadAppointmentDocumentResponse{Document: documentPB(d)}, nil
}

// ListAppointmentDocuments lists an appointment's documents.
func (b *Booking) ListAppointmentDocuments(ctx context.Context, r *schedulingv1.ListAppointmentDocumentsRequest) (*schedulingv1.ListAppointmentDocumentsResponse, error) {
	ds, err := b.app.Documents(ctx, r.GetAppointmentId())
	if err != nil {
		return nil, err
	}
	out := &schedulingv1.ListAppointmentDocumentsResponse{Documents: make([]*schedulingv1.AppointmentDocument, 0, len(ds))}
	for _, d := range ds {
		out.Documents = append(out.Documents, documentPB(d))
	}
	return out, nil
}

// GetAppointmentDocument downloads a document's content.
func (b *Booking) GetAppointmentDocument(ctx context.Context, r *schedulingv1.GetAppointmentDocumentRequest) (*httpbody.HttpBody, error) {
	d, err := b.app.Document(ctx, r.GetDocumentId())
	if err != nil {
		return nil, err
	}
	download.Name(ctx, d.FileName)
	return &httpbody.HttpBody{ContentType: d.ContentType, Data: d.Content}, nil
}
