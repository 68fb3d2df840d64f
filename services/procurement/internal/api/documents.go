package api

import (
	"context"

	"google.golang.org/genproto/googleapis/api/httpbody"

	"github.com/govstackbb/marketplace/platform/download"

	procv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
)

// Documents implements DocumentService: the files of tenders and bids, as they are (HttpBody), with the
// content type Registration's store recognised.
type Documents struct {
	procv1.UnimplementedDocumentServiceServer
	app *app.Service
}

// NewDocuments returns the document handlers on a.
func NewDocuments(a *app.Service) *Documents { return &Documents{app: a} }

// file answers f under the name it was uploaded with, when Registration gave one.
func file(ctx context.Context, f app.File, err error) (*httpbody.HttpBody, error) {
	if err != nil {
		return nil, err
	}
	if f.Name != "" {
		download.Name(ctx, f.Name)
	}
	return &httpbody.HttpBody{ContentType: f.ContentType, Data: f.Content}, nil
}

func (h *Documents) GetTenderDocument(ctx context.Context, r *procv1.GetTenderDocumentRequest) (*httpbody.HttpBody, error) {
	f, err := h.app.TenderDocument(ctx, actor(ctx), r.GetTenderId(), r.GetDocumentId())
	return file(ctx, f, err)
}

func (h *Documents) GetBidDocument(ctx context.Context, r *procv1.GetBidDocumentRequest) (*httpbody.HttpBody, error) {
	f, err := h.app.BidDocument(ctx, actor(ctx), r.GetTenderId(), r.GetBidId(), r.GetDocumentId())
	return file(ctx, f, err)
}
