package registration_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/structpb"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
)

// testServiceSchema is the e-form of the test service: a name and an e-mail, nothing else.
const testServiceSchema = `{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
	"required": ["name", "email"], "additionalProperties": false,
	"properties": {"name": {"type": "string", "minLength": 1, "maxLength": 20},
		"email": {"type": "string", "format": "email"}, "age": {"type": "integer", "minimum": 0}}}`

// addTestService inserts a service without a flow (generic review) and its e-form, and returns their ids.
func addTestService(t testing.TB, bb *testBB) (serviceID, eFormID string) {
	t.Helper()
	serviceID, eFormID = uuid.NewString(), uuid.NewString()
	ctx := context.Background()
	if _, err := bb.pool.Exec(ctx, `INSERT INTO services (id, key, name, description) VALUES ($1, $2, 'Fishing licence', 'A test service')`,
		serviceID, "fishing-"+serviceID[:8]); err != nil {
		t.Fatal(err)
	}
	if _, err := bb.pool.Exec(ctx, `INSERT INTO eforms (id, service_id, name, version, latest, schema) VALUES ($1, $2, 'Licence form', '1', true, $3)`,
		eFormID, serviceID, testServiceSchema); err != nil {
		t.Fatal(err)
	}
	return serviceID, eFormID
}

func formData(t testing.TB, m map[string]any) *registrationv1.FormData {
	t.Helper()
	s, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatal(err)
	}
	return &registrationv1.FormData{Data: s}
}

func TestEServicesCatalogListsTheAccountServices(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	all, err := bb.eservices.ListServices(ctx, &registrationv1.ListServicesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]*registrationv1.Service{}
	for _, s := range all.GetServices() {
		names[s.GetName()] = s
	}
	for _, want := range []string{"Public-sector buyer account", "Supplier account", "Citizen account",
		"Hospital staff account", "Public-sector domain access request"} {
		s, ok := names[want]
		if !ok {
			t.Fatalf("service %q missing from %v", want, all.GetServices())
		}
		if s.GetType() != "Public" || !s.GetIsExecutable() || s.GetIsClosed() {
			t.Errorf("%s: type %s executable %v closed %v", want, s.GetType(), s.GetIsExecutable(), s.GetIsClosed())
		}
	}
	filtered, err := bb.eservices.ListServices(ctx, &registrationv1.ListServicesRequest{Name: "HOSPITAL"})
	if err != nil || len(filtered.GetServices()) != 1 || filtered.GetServices()[0].GetName() != "Hospital staff account" {
		t.Fatalf("name filter: %v, %v", filtered, err)
	}
	buyer := names["Public-sector buyer account"]
	got, err := bb.eservices.GetService(ctx, &registrationv1.GetServiceRequest{ServiceId: buyer.GetId()})
	if err != nil || got.GetService().GetName() != buyer.GetName() {
		t.Fatalf("GetService: %v, %v", got, err)
	}
	forms, err := bb.eservices.ListServiceEForms(ctx, &registrationv1.ListServiceEFormsRequest{ServiceId: buyer.GetId()})
	// Version 2 (name and organisation required) is the latest; version 1 stays for files that used it.
	if err != nil || len(forms.GetEForms()) != 2 || !forms.GetEForms()[0].GetLatest() || forms.GetEForms()[0].GetVersion() != "2" {
		t.Fatalf("e-forms: %v, %v", forms, err)
	}
	form, err := bb.eservices.GetEForm(ctx, &registrationv1.GetEFormRequest{EFormId: forms.GetEForms()[0].GetEFormId()})
	if err != nil {
		t.Fatal(err)
	}
	schema := form.GetEForm().GetSchema().AsMap()
	props, _ := schema["properties"].(map[string]any)
	if schema["additionalProperties"] != false || props["email"] == nil || props["organisation"] == nil {
		t.Errorf("buyer schema = %v", schema)
	}
}

func TestEServicesCatalogErrors(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	// The spec types ids as plain strings and documents 404: an id that is not a UUID is just not found.
	for _, id := range []string{"not-a-uuid", uuid.NewString()} {
		_, err := bb.eservices.GetService(ctx, &registrationv1.GetServiceRequest{ServiceId: id})
		wantReason(t, err, codes.NotFound, "SERVICE_NOT_FOUND")
		_, err = bb.eservices.GetEForm(ctx, &registrationv1.GetEFormRequest{EFormId: id})
		wantReason(t, err, codes.NotFound, "EFORM_NOT_FOUND")
		_, err = bb.eservices.GetApplication(withBackOffice(ctx), &registrationv1.GetApplicationRequest{FileId: id})
		wantReason(t, err, codes.NotFound, "APPLICATION_NOT_FOUND")
		_, err = bb.eservices.GetTask(withBackOffice(ctx), &registrationv1.GetTaskRequest{TaskId: id})
		wantReason(t, err, codes.NotFound, "TASK_NOT_FOUND")
	}
	// As a filter, such an id matches nothing: an empty list.
	for _, req := range []*registrationv1.ListTasksRequest{{FileId: "x"}, {MainTaskId: "y"}, {FileId: uuid.NewString()}} {
		resp, err := bb.eservices.ListTasks(withBackOffice(ctx), req)
		if err != nil || len(resp.GetTasks()) != 0 {
			t.Errorf("ListTasks(%v) = %v, %v; want an empty list", req, resp, err)
		}
	}
}

func TestEServicesNeedTheIMClientHeader(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	serviceID, _ := addTestService(t, bb)
	_, err := bb.eservices.SubmitApplication(ctx, &registrationv1.SubmitApplicationRequest{ServiceId: serviceID,
		Application: &registrationv1.ApplicationFileSubmit{ApplicantId: "x",
			FormData: formData(t, map[string]any{"name": "A", "email": "a@example.org"})}})
	wantCode(t, err, codes.InvalidArgument)
	_, err = bb.eservices.GetStatistics(ctx, &registrationv1.GetStatisticsRequest{})
	wantCode(t, err, codes.InvalidArgument)
	_, err = bb.eservices.ListApplications(ctx, &registrationv1.ListApplicationsRequest{})
	wantCode(t, err, codes.InvalidArgument)
	if n := bb.count(t, `SELECT count(*) FROM applications`); n != 0 {
		t.Errorf("%d applications stored without an IM identity", n)
	}
}
