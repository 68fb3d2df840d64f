package api

import (
	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/app"
)

// EServices serves the GovStack Registration API.
type EServices struct {
	registrationv1.UnimplementedEServiceServiceServer
	app *app.Service
}

// NewEServices returns the handlers on a.
func NewEServices(a *app.Service) *EServices { return &EServices{app: a} }
