package bbs

import (
	"context"
	"testing"

	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/apierr"
	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
)

// documentStore answers GetDocument as Registration would: a file, or an error.
type documentStore struct {
	registrationv1.EServiceServiceClient
	body *httpbody.HttpBody
	err  error
}

func (d documentStore) GetDocument(context.Context, *registrationv1.GetDocumentRequest, ...grpc.CallOption) (*httpbody.HttpBody, error) {
	return d.body, d.err
}

// TestRegistrationDocument: a file comes back with Registration's content type; a document Registration no
// longer keeps is a 404 naming it; Registration down or the IM refusing the call is a 503, never a 500.
func TestRegistrationDocument(t *testing.T) {
	ctx := context.Background()
	f, err := Registration{Client: documentStore{body: &httpbody.HttpBody{ContentType: "image/png", Data: []byte("png")}}}.Document(ctx, "d1")
	if err != nil || f.ContentType != "image/png" || string(f.Content) != "png" {
		t.Fatalf("a kept document: %+v %v", f, err)
	}
	cases := []struct {
		code codes.Code
		want apierr.Kind
	}{
		{codes.NotFound, apierr.KindNotFound},
		{codes.Unavailable, apierr.KindUnavailable},
		{codes.PermissionDenied, apierr.KindUnavailable}, // the IM's right is missing: procurement's, not the reader's, fault
		{codes.DeadlineExceeded, apierr.KindUnavailable},
	}
	for _, c := range cases {
		_, err := Registration{Client: documentStore{err: status.Error(c.code, "x")}}.Document(ctx, "d1")
		if apierr.KindOf(err) != c.want {
			t.Errorf("Registration answers %v: %v, want %v", c.code, err, c.want)
		}
	}
}
