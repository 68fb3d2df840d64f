package api

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"

	"google.golang.org/genproto/googleapis/api/httpbody"

	procv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
)

// OCDS implements OcdsService: OCDS documents as they are spelled (HttpBody, not protojson). Public: no
// user token is read.
type OCDS struct {
	procv1.UnimplementedOcdsServiceServer
	app *app.Service
}

// NewOCDS returns the OCDS handlers on a.
func NewOCDS(a *app.Service) *OCDS { return &OCDS{app: a} }

// ocdsJSON is the content type of every OCDS answer.
const ocdsJSON = "application/json"

func document(v any, err error) (*httpbody.HttpBody, error) {
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &httpbody.HttpBody{ContentType: ocdsJSON, Data: data}, nil
}

func (h *OCDS) ListReleasePackages(ctx context.Context, r *procv1.ListReleasePackagesRequest) (*httpbody.HttpBody, error) {
	q := url.Values{}
	for name, v := range map[string]string{"since": r.GetSince(), "until": r.GetUntil(), "cursor": r.GetCursor()} {
		if v != "" {
			q.Set(name, v)
		}
	}
	if r.GetLimit() != 0 {
		q.Set("limit", strconv.Itoa(int(r.GetLimit())))
	}
	return document(h.app.ReleasePackages(ctx, q))
}

func (h *OCDS) GetReleasePackage(ctx context.Context, r *procv1.GetReleasePackageRequest) (*httpbody.HttpBody, error) {
	return document(h.app.ReleasePackage(ctx, r.GetOcid()))
}

func (h *OCDS) GetRecordPackage(ctx context.Context, r *procv1.GetRecordPackageRequest) (*httpbody.HttpBody, error) {
	return document(h.app.RecordPackage(ctx, r.GetOcid(), r.GetVersioned()))
}
