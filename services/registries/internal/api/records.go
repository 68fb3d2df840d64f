package api

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/structpb"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registries/internal/app"
	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// HTTPCodeHeader is the response header metadata the gateway turns into the HTTP status.
const HTTPCodeHeader = "x-http-code"

// LocationHeader is the response header metadata the gateway sends as the HTTP Location header.
const LocationHeader = "location"

// Registries serves RegistriesService, the GovStack data API.
type Registries struct {
	registriesv1.UnimplementedRegistriesServiceServer
	app *app.Service
}

// NewRegistries returns the data API handlers on a.
func NewRegistries(a *app.Service) *Registries { return &Registries{app: a} }

type targeted interface {
	GetRegistryName() string
	GetVersionNumber() string
}

func target(r targeted) app.Target {
	return app.Target{Name: r.GetRegistryName(), Version: r.GetVersionNumber()}
}

// CreateRecord implements POST /data/{registryName}/{versionNumber}/create.
func (h *Registries) CreateRecord(ctx context.Context, req *registriesv1.CreateRecordRequest) (*registriesv1.CreateRecordResponse, error) {
	rec, err := h.app.CreateRecord(ctx, target(req), contentOf(req.GetWrite().GetContent()))
	if err != nil {
		return nil, err
	}
	content, err := toStruct(rec.Content)
	return &registriesv1.CreateRecordResponse{Content: content}, err
}

// ReadRecord implements POST /data/{registryName}/{versionNumber}/read.
func (h *Registries) ReadRecord(ctx context.Context, req *registriesv1.ReadRecordRequest) (*registriesv1.ReadRecordResponse, error) {
	rec, err := h.app.ReadRecord(ctx, target(req), contentOf(req.GetQuery().GetContent()))
	if err != nil {
		return nil, err
	}
	content, err := toStruct(rec.Content)
	return &registriesv1.ReadRecordResponse{Content: content}, err
}

// RecordExists implements POST /data/{registryName}/{versionNumber}/exists.
func (h *Registries) RecordExists(ctx context.Context, req *registriesv1.RecordExistsRequest) (*registriesv1.RecordExistsResponse, error) {
	found, err := h.app.RecordExists(ctx, target(req), contentOf(req.GetQuery().GetContent()))
	if err != nil {
		return nil, err
	}
	answer := &registriesv1.ExistsAnswer{Status: found, Message: "Object not found from database"}
	if found {
		answer.Message = "Object found from database"
	}
	return &registriesv1.RecordExistsResponse{Answer: answer}, nil
}

// ListRecords implements GET /data/{registryName}/{versionNumber}.
func (h *Registries) ListRecords(ctx context.Context, req *registriesv1.ListRecordsRequest) (*registriesv1.ListRecordsResponse, error) {
	page, err := h.app.ListRecords(ctx, target(req), domain.ListParams{
		Query: req.GetQuery(), Search: req.GetSearch(), Filter: req.GetFilter(), Ordering: req.GetOrdering(),
		Page: int(req.GetPage()), PageSize: int(req.GetPageSize()),
	})
	if err != nil {
		return nil, err
	}
	results, err := toStructs(page.Records)
	return &registriesv1.ListRecordsResponse{Count: int32(page.Total), Next: page.Next, Previous: page.Previous,
		Results: results}, err
}

// ReadRecordValue implements GET /data/{registryName}/{versionNumber}/{id}/readValue/{field}.{ext}.
func (h *Registries) ReadRecordValue(ctx context.Context, req *registriesv1.ReadRecordValueRequest) (*registriesv1.ReadRecordValueResponse, error) {
	v, err := h.app.ReadRecordValue(ctx, target(req), req.GetId(), req.GetFieldExt())
	if err != nil {
		return nil, err
	}
	value, err := structpb.NewValue(v)
	if err != nil {
		return nil, err
	}
	return &registriesv1.ReadRecordValueResponse{Value: value}, nil
}

// DeleteRecord implements DELETE /data/{registryName}/{versionNumber}/{id}/delete, answering 204.
func (h *Registries) DeleteRecord(ctx context.Context, req *registriesv1.DeleteRecordRequest) (*registriesv1.DeleteRecordResponse, error) {
	if err := h.app.DeleteRecord(ctx, target(req), req.GetId()); err != nil {
		return nil, err
	}
	if err := grpc.SetHeader(ctx, metadata.Pairs(HTTPCodeHeader, "204")); err != nil {
		return nil, err
	}
	return &registriesv1.DeleteRecordResponse{}, nil
}
