package registration_test

import (
	"bytes"
	"context"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
	"testing"

	"google.golang.org/grpc/codes"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
)

// submitGeneric submits a valid application to the test service as the IM client (no token).
func submitGeneric(t testing.TB, bb *testBB, serviceID, applicant string) *registrationv1.ApplicationFile {
	t.Helper()
	resp, err := bb.eservices.SubmitApplication(withIM(context.Background()), &registrationv1.SubmitApplicationRequest{
		ServiceId: serviceID, Application: &registrationv1.ApplicationFileSubmit{ApplicantId: applicant,
			ApplicationName: "Licence for " + applicant,
			FormData:        formData(t, map[string]any{"name": "Ann", "email": "ann@example.org", "age": 30})}})
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return resp.GetApplicationFile()
}

func TestEServicesGenericSubmission(t *testing.T) {
	bb := startBB(t)
	serviceID, eFormID := addTestService(t, bb)
	file := submitGeneric(t, bb, serviceID, "applicant-1")
	if file.GetStatus().GetCode() != "PENDING" || file.GetEnded() || file.GetServiceName() != "Fishing licence" {
		t.Fatalf("file = %v", file)
	}
	if got := file.GetApplicationData(); got.GetApplicantId() != "applicant-1" || got.GetFormData().GetEFormId() != eFormID ||
		got.GetFormData().GetData().AsMap()["email"] != "ann@example.org" {
		t.Errorf("application data = %v", got)
	}
	if n := bb.count(t, `SELECT count(*) FROM tasks WHERE file_id = $1 AND role_id = 'admin' AND status = 'PENDING'`, file.GetFileId()); n != 1 {
		t.Errorf("%d open admin tasks, want 1", n)
	}
	ev := bb.lastEventFor(t, "govstack.registration.v1.application.submitted", "fileId", file.GetFileId())
	if ev["status"] != "PENDING" || ev["serviceId"] != serviceID || ev["applicantId"] != "applicant-1" {
		t.Errorf("event = %v", ev)
	}
	list, err := bb.eservices.ListApplications(withBackOffice(context.Background()), &registrationv1.ListApplicationsRequest{ServiceId: serviceID})
	if err != nil || len(list.GetApplications()) != 1 {
		t.Fatalf("list: %v, %v", list, err)
	}
	if it := list.GetApplications()[0]; it.GetMainTaskId() == "" || it.GetRoleId() != "admin" || it.GetTaskTitle() == "" {
		t.Errorf("list item task = %v", it)
	}
	mainTask := list.GetApplications()[0].GetMainTaskId()
	for _, req := range []*registrationv1.ListTasksRequest{{MainTaskId: mainTask}, {FileId: file.GetFileId()}} {
		tasks, err := bb.eservices.ListTasks(withBackOffice(context.Background()), req)
		if err != nil || len(tasks.GetTasks()) != 1 || tasks.GetTasks()[0].GetTaskId() != mainTask ||
			tasks.GetTasks()[0].GetMainTaskId() != mainTask {
			t.Errorf("ListTasks(%v) = %v, %v; want the review task %s, its own main task", req, tasks, err, mainTask)
		}
	}
	got, err := bb.eservices.GetApplication(withBackOffice(context.Background()), &registrationv1.GetApplicationRequest{FileId: file.GetFileId()})
	if err != nil || got.GetApplicationFile().GetFileId() != file.GetFileId() {
		t.Fatalf("get: %v, %v", got, err)
	}
}

func TestEServicesSubmissionIsCheckedAgainstTheEForm(t *testing.T) {
	bb := startBB(t)
	serviceID, _ := addTestService(t, bb)
	ctx := withIM(context.Background())
	submit := func(applicant string, data map[string]any) error {
		_, err := bb.eservices.SubmitApplication(ctx, &registrationv1.SubmitApplicationRequest{ServiceId: serviceID,
			Application: &registrationv1.ApplicationFileSubmit{ApplicantId: applicant, FormData: formData(t, data)}})
		return err
	}
	err := submit("a", map[string]any{"email": "not an e-mail", "age": -1, "colour": "red"})
	wantReason(t, err, codes.InvalidArgument, "INVALID_FORM_DATA")
	for _, field := range []string{"/formData/data/email", "/formData/data/name", "/formData/data/age", "/formData/data/colour"} {
		wantViolation(t, err, field)
	}
	wantViolation(t, submit("", map[string]any{"name": "A", "email": "a@example.org"}), "applicantId")
	_, err = bb.eservices.SubmitApplication(ctx, &registrationv1.SubmitApplicationRequest{ServiceId: serviceID,
		Application: &registrationv1.ApplicationFileSubmit{ApplicantId: "a", DocumentUrls: []string{"https://evil.example/x.pdf"},
			FormData: formData(t, map[string]any{"name": "A", "email": "a@example.org"})}})
	wantViolation(t, err, "documentUrls[0]")
	if n := bb.count(t, `SELECT count(*) FROM applications`); n != 0 {
		t.Errorf("%d applications stored from bad submissions", n)
	}
}

// pngBytes is a 1×1 PNG.
var pngBytes = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1,
	8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 13, 'I', 'D', 'A', 'T', 0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d,
	0x0a, 0x2d, 0xb4, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82}

func TestEServicesDocumentLimits(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	upload := func(files ...*registrationv1.DocumentFile) (*registrationv1.UploadDocumentResponse, error) {
		return bb.eservices.UploadDocument(ctx, &registrationv1.UploadDocumentRequest{File: files})
	}
	big := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{'x'}, int(bb.cfg.MaxDocumentBytes))...)
	_, err := upload(&registrationv1.DocumentFile{Name: "ok.png", Content: pngBytes}, &registrationv1.DocumentFile{Name: "big.pdf", Content: big})
	wantReason(t, err, codes.InvalidArgument, "DOCUMENT_TOO_LARGE")
	wantViolation(t, err, "file[1]")
	// The declared type is ignored: a text file named and typed as a PDF is still text.
	_, err = upload(&registrationv1.DocumentFile{Name: "cv.pdf", ContentType: "application/pdf", Content: []byte("just text")})
	wantReason(t, err, codes.InvalidArgument, "UNSUPPORTED_DOCUMENT_TYPE")
	_, err = upload()
	wantCode(t, err, codes.InvalidArgument)
	if n := bb.count(t, `SELECT count(*) FROM documents`); n != 0 {
		t.Fatalf("%d documents stored from refused uploads", n)
	}
	resp, err := upload(&registrationv1.DocumentFile{Name: "scan.png", ContentType: "application/octet-stream", Content: pngBytes})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetCode() != 200 || resp.GetType() != "success" || len(resp.GetUrls()) != 1 || resp.GetUrl() != resp.GetUrls()[0] {
		t.Fatalf("upload = %v", resp)
	}
	id := resp.GetUrl()[len("/documents/"):]
	body, err := bb.eservices.GetDocument(imident.WithPersonalDataRight(ctx), &registrationv1.GetDocumentRequest{DocumentId: id})
	if err != nil {
		t.Fatal(err)
	}
	if body.GetContentType() != "image/png" || !bytes.Equal(body.GetData(), pngBytes) {
		t.Errorf("download: %s, %d bytes", body.GetContentType(), len(body.GetData()))
	}
	// The URL is accepted in an application.
	serviceID, _ := addTestService(t, bb)
	_, err = bb.eservices.SubmitApplication(withIM(ctx), &registrationv1.SubmitApplicationRequest{ServiceId: serviceID,
		Application: &registrationv1.ApplicationFileSubmit{ApplicantId: "a", DocumentUrls: resp.GetUrls(),
			FormData: formData(t, map[string]any{"name": "A", "email": "a@example.org"})}})
	if err != nil {
		t.Fatalf("submit with document: %v", err)
	}
}

func TestEServicesApplicantsSeeOnlyTheirOwn(t *testing.T) {
	bb := startBB(t)
	serviceID, _ := addTestService(t, bb)
	alice := bb.registerBuyer(t, "alice@moj.gov.example", "a long and unusual passphrase 1")
	bob := bb.registerBuyer(t, "bob@moj.gov.example", "a long and unusual passphrase 2")
	actx := withIM(withToken(context.Background(), alice))
	bctx := withIM(withToken(context.Background(), bob))

	up, err := bb.eservices.UploadDocument(actx, &registrationv1.UploadDocumentRequest{File: []*registrationv1.DocumentFile{{Name: "a.png", Content: pngBytes}}})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := bb.eservices.SubmitApplication(actx, &registrationv1.SubmitApplicationRequest{ServiceId: serviceID,
		Application: &registrationv1.ApplicationFileSubmit{DocumentUrls: up.GetUrls(),
			FormData: formData(t, map[string]any{"name": "Alice", "email": "alice@moj.gov.example"})}})
	if err != nil {
		t.Fatal(err)
	}
	file := sub.GetApplicationFile()
	aliceID := file.GetApplicationData().GetApplicantId()
	if aliceID == "" || aliceID == "someone" {
		t.Fatalf("applicant = %q", aliceID)
	}
	_, err = bb.eservices.SubmitApplication(bctx, &registrationv1.SubmitApplicationRequest{ServiceId: serviceID,
		Application: &registrationv1.ApplicationFileSubmit{ApplicantId: aliceID,
			FormData: formData(t, map[string]any{"name": "Bob", "email": "bob@moj.gov.example"})}})
	wantCode(t, err, codes.PermissionDenied)

	_, err = bb.eservices.GetApplication(bctx, &registrationv1.GetApplicationRequest{FileId: file.GetFileId()})
	wantCode(t, err, codes.NotFound)
	_, err = bb.eservices.GetDocument(bctx, &registrationv1.GetDocumentRequest{DocumentId: up.GetUrl()[len("/documents/"):]})
	wantCode(t, err, codes.NotFound)
	// (Each buyer also has the file of their own account registration, a buyer-account application.)
	for _, filter := range []*registrationv1.ListApplicationsRequest{{ServiceId: serviceID}, {ApplicantId: aliceID}} {
		list, err := bb.eservices.ListApplications(bctx, filter)
		if err != nil || len(list.GetApplications()) != 0 {
			t.Errorf("bob lists (%v): %v, %v", filter, list, err)
		}
	}
	list, err := bb.eservices.ListApplications(actx, &registrationv1.ListApplicationsRequest{ServiceId: serviceID})
	if err != nil || len(list.GetApplications()) != 1 || list.GetApplications()[0].GetFileId() != file.GetFileId() {
		t.Errorf("alice lists: %v, %v", list, err)
	}
	if _, err := bb.eservices.GetDocument(actx, &registrationv1.GetDocumentRequest{DocumentId: up.GetUrl()[len("/documents/"):]}); err != nil {
		t.Errorf("alice reads her document: %v", err)
	}
	_, err = bb.eservices.ListApplications(actx, &registrationv1.ListApplicationsRequest{MaxResult: 501})
	wantViolation(t, err, "maxResult")

	// Being an IM client is not being every applicant (issue 11): without a token, only a client the IM
	// vouches holds the personal-data right sees anyone's files, tasks and documents; an operator's token
	// sees them too.
	docID := up.GetUrl()[len("/documents/"):]
	admin := withIM(withToken(context.Background(), bb.adminToken(t)))
	reads := map[string]func(context.Context) error{
		"ListApplications": func(ctx context.Context) error {
			_, err := bb.eservices.ListApplications(ctx, &registrationv1.ListApplicationsRequest{ServiceId: serviceID})
			return err
		},
		"GetApplication": func(ctx context.Context) error {
			_, err := bb.eservices.GetApplication(ctx, &registrationv1.GetApplicationRequest{FileId: file.GetFileId()})
			return err
		},
		"ListTasks": func(ctx context.Context) error {
			_, err := bb.eservices.ListTasks(ctx, &registrationv1.ListTasksRequest{FileId: file.GetFileId()})
			return err
		},
		"GetDocument": func(ctx context.Context) error {
			_, err := bb.eservices.GetDocument(ctx, &registrationv1.GetDocumentRequest{DocumentId: docID})
			return err
		},
	}
	for name, read := range reads {
		wantReason(t, read(withIM(context.Background())), codes.Unauthenticated, "SIGN_IN_REQUIRED")
		for who, ctx := range map[string]context.Context{"back office": withBackOffice(context.Background()), "admin": admin, "alice": actx} {
			if err := read(ctx); err != nil {
				t.Errorf("%s as %s: %v", name, who, err)
			}
		}
	}
	// What is public stays public.
	if _, err := bb.eservices.ListServices(withIM(context.Background()), &registrationv1.ListServicesRequest{}); err != nil {
		t.Errorf("the catalogue: %v", err)
	}
}

// A client that registers a buyer through the GovStack e-services API keeps its own applicantId and
// applicationName on the file the account flow records (issue 11), rather than the flow's defaults.
func TestEServicesAccountFlowKeepsTheClientsApplicantAndName(t *testing.T) {
	bb := startBB(t)
	ctx := withIM(context.Background())
	_, err := bb.eservices.SubmitApplication(ctx, &registrationv1.SubmitApplicationRequest{
		ServiceId: domain.ServiceIDBuyerAccount,
		Application: &registrationv1.ApplicationFileSubmit{ApplicantId: "crm-4711", ApplicationName: "Buyer account, CRM ticket 4711",
			FormData: formData(t, map[string]any{"email": "jane.kept@moj.gov.example", "name": "Jane Kept", "organisation": "Ministry of Justice"})}})
	if err != nil {
		t.Fatal(err)
	}
	admin := withIM(withToken(context.Background(), bb.adminToken(t)))
	list, err := bb.eservices.ListApplications(admin, &registrationv1.ListApplicationsRequest{ApplicantId: "crm-4711"})
	if err != nil || len(list.GetApplications()) != 1 {
		t.Fatalf("files of applicant crm-4711: %v, %v", list, err)
	}
	file, err := bb.eservices.GetApplication(admin, &registrationv1.GetApplicationRequest{FileId: list.GetApplications()[0].GetFileId()})
	if err != nil {
		t.Fatal(err)
	}
	got := file.GetApplicationFile().GetApplicationData()
	if got.GetApplicantId() != "crm-4711" || got.GetApplicationName() != "Buyer account, CRM ticket 4711" {
		t.Errorf("the file keeps applicant %q and name %q", got.GetApplicantId(), got.GetApplicationName())
	}
}
