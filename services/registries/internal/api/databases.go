package api

import (
	"context"
	"fmt"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registries/internal/app"
	"github.com/govstackbb/marketplace/services/registries/internal/domain"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// Databases serves DatabasesService, the GovStack database (schema) API.
type Databases struct {
	registriesv1.UnimplementedDatabasesServiceServer
	app *app.Service
}

// NewDatabases returns the database API handlers on a.
func NewDatabases(a *app.Service) *Databases { return &Databases{app: a} }

// The catalogue GET /databases answers: GovStack's DatabasesSchema describes one per deployment.
const (
	catalogueID   = 1
	catalogueName = "GovStack Digital Registries"
	catalogueCode = "DR"
)

// ListDatabases implements GET /databases.
func (h *Databases) ListDatabases(ctx context.Context, _ *registriesv1.ListDatabasesRequest) (*registriesv1.ListDatabasesResponse, error) {
	regs, err := h.app.ListDatabases(ctx)
	if err != nil {
		return nil, err
	}
	dbs, err := toDatabases(regs)
	return &registriesv1.ListDatabasesResponse{Id: catalogueID, Name: catalogueName, Code: catalogueCode, Databases: dbs}, err
}

// GetDatabase implements GET /database/{id}.
func (h *Databases) GetDatabase(ctx context.Context, req *registriesv1.GetDatabaseRequest) (*registriesv1.GetDatabaseResponse, error) {
	r, err := h.app.GetDatabase(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	db, err := toDatabase(r)
	return &registriesv1.GetDatabaseResponse{Database: db}, err
}

// ModifyDatabase implements POST /database/modify.
func (h *Databases) ModifyDatabase(ctx context.Context, req *registriesv1.ModifyDatabaseRequest) (*registriesv1.ModifyDatabaseResponse, error) {
	r, created, err := h.app.ModifyDatabase(ctx, domain.RegistryDraft{
		GroupName: req.GetGroupName(), CatalogName: req.GetCatalogName(), Code: req.GetCode(), Name: req.GetName(),
		Version: req.GetVersion(), Description: req.GetDescription(), Institution: req.GetInstitution(),
		Schema: contentOf(req.GetSchema()), PersonIDField: req.GetPersonIdField(),
	})
	if err != nil {
		return nil, err
	}
	db, err := toDatabase(r)
	if err != nil {
		return nil, err
	}
	// The REST body is only the schema (GovStack's DatabaseSchema), so the id travels as Location.
	if err := grpc.SetHeader(ctx, metadata.Pairs(LocationHeader, fmt.Sprintf("/database/%d", r.ID))); err != nil {
		return nil, err
	}
	return &registriesv1.ModifyDatabaseResponse{Database: db, Created: created, Schema: db.GetSchema()}, nil
}

// DeleteDatabase implements DELETE /database/{id}, answering "Success".
func (h *Databases) DeleteDatabase(ctx context.Context, req *registriesv1.DeleteDatabaseRequest) (*registriesv1.DeleteDatabaseResponse, error) {
	if err := h.app.DeleteDatabase(ctx, req.GetId()); err != nil {
		return nil, err
	}
	return &registriesv1.DeleteDatabaseResponse{Result: "Success"}, nil
}
