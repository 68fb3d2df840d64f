package api

import (
	"context"

	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/govstackbb/marketplace/platform/download"

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

// ListServices lists the services, filtered by name.
func (h *EServices) ListServices(ctx context.Context, r *registrationv1.ListServicesRequest) (*registrationv1.ListServicesResponse, error) {
	list, err := h.app.ListServices(ctx, r.GetName())
	if err != nil {
		return nil, err
	}
	out := &registrationv1.ListServicesResponse{Services: make([]*registrationv1.Service, 0, len(list))}
	for _, s := range list {
		out.Services = append(out.Services, servicePB(s))
	}
	return out, nil
}

// GetService returns one service.
func (h *EServices) GetService(ctx context.Context, r *registrationv1.GetServiceRequest) (*registrationv1.GetServiceResponse, error) {
	s, err := h.app.GetService(ctx, r.GetServiceId())
	if err != nil {
		return nil, err
	}
	return &registrationv1.GetServiceResponse{Service: servicePB(s)}, nil
}

// ListServiceEForms lists a service's e-forms.
func (h *EServices) ListServiceEForms(ctx context.Context, r *registrationv1.ListServiceEFormsRequest) (*registrationv1.ListServiceEFormsResponse, error) {
	forms, err := h.app.ListServiceEForms(ctx, r.GetServiceId())
	if err != nil {
		return nil, err
	}
	out := &registrationv1.ListServiceEFormsResponse{EForms: make([]*registrationv1.EFormListItem, 0, len(forms))}
	for _, f := range forms {
		out.EForms = append(out.EForms, &registrationv1.EFormListItem{EFormId: f.ID, Name: f.Name,
			Description: f.Description, Version: f.Version, Latest: f.Latest})
	}
	return out, nil
}

// GetEForm returns an e-form with its schema.
func (h *EServices) GetEForm(ctx context.Context, r *registrationv1.GetEFormRequest) (*registrationv1.GetEFormResponse, error) {
	f, err := h.app.GetEForm(ctx, r.GetEFormId())
	if err != nil {
		return nil, err
	}
	schema, err := structpb.NewStruct(f.Schema)
	if err != nil {
		return nil, err
	}
	return &registrationv1.GetEFormResponse{EForm: &registrationv1.EForm{EFormId: f.ID, Name: f.Name,
		Description: f.Description, Version: f.Version, Latest: f.Latest, Schema: schema}}, nil
}

// UploadDocument stores uploaded files.
func (h *EServices) UploadDocument(ctx context.Context, r *registrationv1.UploadDocumentRequest) (*registrationv1.UploadDocumentResponse, error) {
	files := make([]app.UploadFile, 0, len(r.GetFile()))
	for _, f := range r.GetFile() {
		files = append(files, app.UploadFile{Name: f.GetName(), Content: f.GetContent()})
	}
	urls, err := h.app.UploadDocuments(ctx, files, r.GetAdditionalMetadata())
	if err != nil {
		return nil, err
	}
	return &registrationv1.UploadDocumentResponse{Code: 200, Type: "success", Message: "uploaded", Url: urls[0], Urls: urls}, nil
}

// GetDocument downloads a document.
func (h *EServices) GetDocument(ctx context.Context, r *registrationv1.GetDocumentRequest) (*httpbody.HttpBody, error) {
	d, err := h.app.GetDocument(ctx, r.GetDocumentId())
	if err != nil {
		return nil, err
	}
	download.Name(ctx, d.Name)
	return &httpbody.HttpBody{ContentType: d.ContentType, Data: d.Content}, nil
}

// GetStatistics counts decided applications.
func (h *EServices) GetStatistics(ctx context.Context, r *registrationv1.GetStatisticsRequest) (*registrationv1.GetStatisticsResponse, error) {
	q, rows, err := h.app.GetStatistics(ctx, app.StatisticsInput{StartDate: r.GetStartDate(), EndDate: r.GetEndDate(),
		RegistrationName: r.GetRegistrationName(), Operator: r.GetOperator(), Role: r.GetRole(), Timeframe: r.GetTimeframe()})
	if err != nil {
		return nil, err
	}
	out := &registrationv1.GetStatisticsResponse{Statistics: make([]*registrationv1.Statistics, 0, len(rows))}
	for _, row := range rows {
		out.Statistics = append(out.Statistics, statisticsPB(q, row))
	}
	return out, nil
}
