package api

import (
	"cmp"
	"context"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registries/internal/app"
)

type writeRequest interface {
	GetQuery() *registriesv1.RecordQuery
	GetWrite() *registriesv1.RecordWrite
}

func writeOf(r writeRequest) app.Write {
	return app.Write{Match: contentOf(r.GetQuery().GetContent()), Fields: contentOf(r.GetWrite().GetContent())}
}

// UpdateRecord implements PUT /data/{registryName}/{versionNumber}/update.
func (h *Registries) UpdateRecord(ctx context.Context, req *registriesv1.UpdateRecordRequest) (*registriesv1.UpdateRecordResponse, error) {
	rec, err := h.app.UpdateRecord(ctx, target(req), writeOf(req))
	if err != nil {
		return nil, err
	}
	content, err := toStruct(rec.Content)
	return &registriesv1.UpdateRecordResponse{Content: content}, err
}

// UpdateEntries implements PUT /data/{registryName}/{versionNumber}/updateEntries (also update-entries).
func (h *Registries) UpdateEntries(ctx context.Context, req *registriesv1.UpdateEntriesRequest) (*registriesv1.UpdateEntriesResponse, error) {
	n, err := h.app.UpdateEntries(ctx, target(req), writeOf(req))
	if err != nil {
		return nil, err
	}
	return &registriesv1.UpdateEntriesResponse{Count: int32(n)}, nil
}

// UpdateOrCreateRecord implements POST /data/{registryName}/{versionNumber}/updateOrCreate (also
// update-or-create).
func (h *Registries) UpdateOrCreateRecord(ctx context.Context, req *registriesv1.UpdateOrCreateRecordRequest) (*registriesv1.UpdateOrCreateRecordResponse, error) {
	rec, created, err := h.app.UpdateOrCreateRecord(ctx, target(req), writeOf(req))
	if err != nil {
		return nil, err
	}
	content, err := toStruct(rec.Content)
	return &registriesv1.UpdateOrCreateRecordResponse{Content: content, Created: created}, err
}

// ListPersonalDataUsage implements GET /data/myPersonalDataUsage?userId=&databaseId=.
func (h *Registries) ListPersonalDataUsage(ctx context.Context, req *registriesv1.ListPersonalDataUsageRequest) (*registriesv1.ListPersonalDataUsageResponse, error) {
	// The older spellings userID and DatabaseID (GovStack test suites) fill in when the current ones are empty.
	usages, err := h.app.ListPersonalDataUsage(ctx, cmp.Or(req.GetUserId(), req.GetUserIdLegacy()),
		cmp.Or(req.GetDatabaseId(), req.GetDatabaseIdLegacy()))
	if err != nil {
		return nil, err
	}
	resp := &registriesv1.ListPersonalDataUsageResponse{Usages: make([]*registriesv1.PersonalDataUsage, 0, len(usages))}
	for _, u := range usages {
		resp.Usages = append(resp.Usages, toUsage(u))
	}
	return resp, nil
}
