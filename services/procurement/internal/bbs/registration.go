package bbs

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/download"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// Registration reads the documents tenders and bids refer to from the Registration BB's document store. The
// call carries no user token: procurement reads as itself, a back office the IM vouches for with the
// personal-data right on Registration (the catalog's Calls), because Registration lets a person read only
// what they uploaded and procurement has already decided that this reader may see this document.
type Registration struct {
	Client registrationv1.EServiceServiceClient
}

// NewRegistration is the client on conn (through the IM).
func NewRegistration(conn grpc.ClientConnInterface) Registration {
	return Registration{Client: registrationv1.NewEServiceServiceClient(conn)}
}

// Document implements app.Documents. A document Registration no longer has is a 404 naming it; any other
// failure (Registration down, the IM refusing the call) is Registration being unavailable: a 503.
func (r Registration) Document(ctx context.Context, id string) (app.File, error) {
	var header metadata.MD
	body, err := r.Client.GetDocument(ctx, &registrationv1.GetDocumentRequest{DocumentId: id}, grpc.Header(&header))
	if status.Code(err) == codes.NotFound {
		return app.File{}, apierr.NotFound(domain.ReasonNotFound, "document "+id+" is referred to, but the Registration BB's "+
			"document store no longer keeps it")
	}
	if err != nil {
		return app.File{}, unavailable("Registration", err)
	}
	return app.File{Name: download.NameOf(header), ContentType: body.GetContentType(), Content: body.GetData()}, nil
}
