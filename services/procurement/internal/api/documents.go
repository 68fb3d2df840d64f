package api

import (
	"context"

	"google.golang.org/genproto/googleapis/api/httpbody"

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

func file(f app.File, err error) (*httpbody.HttpBody, error) {
	if err != nil {
		return nil, err
	}
	return &httpbody.HttpBody{ContentType: f.ContentType, Data: f.Content}, nil
}

func (h *Documents) GetTenderDocument(ctx context.Context, r *procv1.GetTenderDocumentRequest) (*httpbody.HttpBody, error) {
	return file(h.app.TenderDocument(ctx, actor(ctx), r.GetTenderId(), r.GetDocumentId()))
}

func (h *Documents) GetBidDocument(ctx context.Context, r *procv1.GetBidDocumentRequest) (*httpbody.HttpBody, error) {
	return file(h.app.BidDocument(ctx, actor(ctx), r.GetTenderId(), r.GetBidId(), r.GetDocumentId()))
}
