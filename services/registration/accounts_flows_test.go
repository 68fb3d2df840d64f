package registration_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestSupplierCompanyChecks(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	start := func(id string) error {
		_, err := bb.accounts.StartSupplier(ctx, &registrationv1.StartSupplierRequest{CompanyId: id})
		return err
	}
	wantReason(t, start("12-34"), codes.InvalidArgument, "INVALID_COMPANY_ID")
	wantReason(t, start("111222333"), codes.NotFound, "COMPANY_NOT_FOUND")
	wantReason(t, start("07654321"), codes.FailedPrecondition, "COMPANY_DISSOLVED")

	d, err := bb.accounts.StartSupplier(ctx, &registrationv1.StartSupplierRequest{CompanyId: "123-456-789",
		ContactName: "Carla Contoso"})
	if err != nil {
		t.Fatal(err)
	}
	draft := d.GetDraft()
	if draft.GetCompanyId() != "123456789" || draft.GetCompanyScheme() != "DUNS" ||
		draft.GetRegisteredName() != "Contoso Health Systems" || !slices.Equal(draft.GetMissing(), []string{"contactEmail", "contactPhone", "loginEmail"}) {
		t.Fatalf("draft = %v", draft)
	}
	_, err = bb.accounts.SubmitSupplier(ctx, &registrationv1.SubmitSupplierRequest{DraftId: draft.GetDraftId()})
	wantViolation(t, err, "loginEmail")
	_, err = bb.accounts.UpdateSupplierDraft(ctx, &registrationv1.UpdateSupplierDraftRequest{DraftId: draft.GetDraftId(),
		ContactPhone: "12345", ContactEmail: "nope"})
	wantViolation(t, err, "contactPhone")
	wantViolation(t, err, "contactEmail")
	u, err := bb.accounts.UpdateSupplierDraft(ctx, &registrationv1.UpdateSupplierDraftRequest{DraftId: draft.GetDraftId(),
		ContactPhone: "+44 7700 900123", ContactEmail: "carla@contoso.example", LoginEmail: "login@contoso.example"})
	if err != nil || u.GetDraft().GetContactPhone() != "+447700900123" || len(u.GetDraft().GetMissing()) != 0 {
		t.Fatalf("update: %v, %v", u, err)
	}
	// Check your answers, change a field, submit.
	u, err = bb.accounts.UpdateSupplierDraft(ctx, &registrationv1.UpdateSupplierDraftRequest{DraftId: draft.GetDraftId(),
		CompanyName: "Contoso Health"})
	if err != nil || u.GetDraft().GetCompanyName() != "Contoso Health" {
		t.Fatalf("change: %v, %v", u, err)
	}
	if _, err := bb.accounts.SubmitSupplier(ctx, &registrationv1.SubmitSupplierRequest{DraftId: draft.GetDraftId()}); err != nil {
		t.Fatal(err)
	}
	ev := bb.lastEventFor(t, "govstack.registration.v1.account.registered", "email", "login@contoso.example")
	if ev["organisation"] != "Contoso Health" {
		t.Fatalf("event = %v", ev)
	}
	wantReason(t, start("123456789"), codes.AlreadyExists, "SUPPLIER_EXISTS")
	_, err = bb.accounts.GetSupplierDraft(ctx, &registrationv1.GetSupplierDraftRequest{DraftId: draft.GetDraftId()})
	wantReason(t, err, codes.NotFound, "DRAFT_NOT_FOUND")
}

func TestCitizenVerifiedAndMismatch(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	c := &registrationv1.Citizen{NationalId: "EE37801010001", FirstName: "Mari", LastName: "tamm", BirthDate: "1978-01-01",
		Email: "mari.new@example.org", Phone: "+372 5555 1234"}
	bad := proto.Clone(c).(*registrationv1.Citizen)
	bad.BirthDate = "1978-01-02"
	_, err := bb.accounts.RegisterCitizen(ctx, &registrationv1.RegisterCitizenRequest{Citizen: bad})
	wantReason(t, err, codes.InvalidArgument, "CITIZEN_NOT_VERIFIED")
	bad = proto.Clone(c).(*registrationv1.Citizen)
	bad.NationalId = "EE00000000000"
	_, err2 := bb.accounts.RegisterCitizen(ctx, &registrationv1.RegisterCitizenRequest{Citizen: bad})
	st := wantReason(t, err2, codes.InvalidArgument, "CITIZEN_NOT_VERIFIED")
	if st.Message() != wantCode(t, err, codes.InvalidArgument).Message() {
		t.Fatal("mismatch and unknown person answer differently")
	}
	if _, err := bb.accounts.RegisterCitizen(ctx, &registrationv1.RegisterCitizenRequest{Citizen: c}); err != nil {
		t.Fatal(err)
	}
	rec, err := bb.registries.ReadRecord(ctx, &registriesv1.ReadRecordRequest{RegistryName: "citizens", VersionNumber: "1.0",
		Query: &registriesv1.RecordQuery{Content: mustStruct(t, map[string]any{"personalCode": "EE37801010001"})}})
	if err != nil || rec.GetContent().AsMap()["email"] != "mari.new@example.org" {
		t.Fatalf("registry record %v, %v", rec, err)
	}
	bb.lastEventFor(t, "govstack.registration.v1.account.registered", "email", "mari.new@example.org")
	// The same person again (another e-mail): same answer, no second account, the owner is told.
	again := proto.Clone(c).(*registrationv1.Citizen)
	again.Email = "someone.else@example.org"
	if _, err := bb.accounts.RegisterCitizen(ctx, &registrationv1.RegisterCitizenRequest{Citizen: again}); err != nil {
		t.Fatal(err)
	}
	if n := bb.count(t, `SELECT count(*) FROM accounts WHERE national_id = 'EE37801010001'`); n != 1 {
		t.Fatalf("%d accounts", n)
	}
	bb.lastEventFor(t, "govstack.registration.v1.account.registration_attempted", "email", "mari.new@example.org")
}

func mustStruct(t testing.TB, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStaffBulkCSV(t *testing.T) {
	bb := startBB(t)
	ctx := withToken(context.Background(), bb.adminToken(t))
	csv := "email,staffId,name,specialty,departmentId\n" +
		"a.doc@example.org,S1,Dr. A,cardiology,dept-nt-cardiology\n" +
		"b.doc@example.org,S2,Dr. B,neurology,dept-nt-neurology\n" +
		"not-an-email,S3,Dr. C,cardiology,\n" +
		"c.doc@example.org,S1,Dr. Dup,cardiology,\n" +
		"d.doc@example.org,S4,Dr. D,cardiology,\n"
	resp, err := bb.accounts.RegisterStaff(ctx, &registrationv1.RegisterStaffRequest{HospitalId: "hosp-north-tallinn", Csv: csv})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetRegistered() != 3 || resp.GetFailed() != 2 {
		t.Fatalf("resp = %v", resp)
	}
	if r := resp.GetRows()[2]; r.GetReason() != "GOVSTACK_REGISTRATION_INVALID_EMAIL" || r.GetRow() != 3 {
		t.Fatalf("row 3 = %v", r)
	}
	if r := resp.GetRows()[3]; r.GetReason() != "GOVSTACK_REGISTRATION_DUPLICATE_ROW" {
		t.Fatalf("row 4 = %v", r)
	}
	if n := bb.count(t, `SELECT count(*) FROM accounts WHERE 'staff' = ANY(roles) AND hospital_id = 'hosp-north-tallinn'`); n != 3 {
		t.Fatalf("%d staff accounts", n)
	}
	for _, id := range []string{"S1", "S2", "S4"} {
		if _, err := bb.registries.ReadRecord(context.Background(), &registriesv1.ReadRecordRequest{RegistryName: "hospital-staff",
			VersionNumber: "1.0", Query: &registriesv1.RecordQuery{Content: mustStruct(t, map[string]any{"id": "hosp-north-tallinn/" + id})}}); err != nil {
			t.Fatalf("hospital-staff %s: %v", id, err)
		}
	}
	_, err = bb.accounts.RegisterStaff(context.Background(), &registrationv1.RegisterStaffRequest{HospitalId: "hosp-north-tallinn", Csv: csv})
	wantCode(t, err, codes.Unauthenticated)
	_, err = bb.accounts.RegisterStaff(ctx, &registrationv1.RegisterStaffRequest{HospitalId: "nope", Csv: csv})
	wantReason(t, err, codes.NotFound, "HOSPITAL_NOT_FOUND")
}

func TestActivationLinkSingleUse(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	if _, err := bb.accounts.RegisterBuyer(ctx, &registrationv1.RegisterBuyerRequest{Email: "race@moj.gov.example", Name: "A Buyer", Organisation: "Ministry of Justice"}); err != nil {
		t.Fatal(err)
	}
	token := bb.activationToken(t, "race@moj.gov.example")
	_, err := bb.accounts.Activate(ctx, &registrationv1.ActivateRequest{Token: token, Password: "short"})
	wantReason(t, err, codes.InvalidArgument, "WEAK_PASSWORD")
	_, err = bb.accounts.Activate(ctx, &registrationv1.ActivateRequest{Token: token, Password: "race-password-123"})
	wantViolation(t, err, "password") // contains the e-mail's local part
	chk, err := bb.accounts.CheckActivation(ctx, &registrationv1.CheckActivationRequest{Token: token})
	if err != nil || !chk.GetValid() || chk.GetPurpose() != "activate" {
		t.Fatalf("check = %v, %v", chk, err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, invalid := 0, 0
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := bb.accounts.Activate(ctx, &registrationv1.ActivateRequest{Token: token, Password: goodPassword})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				wins++
			} else if codes.InvalidArgument == wantCode(t, err, codes.InvalidArgument).Code() {
				invalid++
			}
		}()
	}
	wg.Wait()
	if wins != 1 || invalid != 9 {
		t.Fatalf("wins %d, invalid %d", wins, invalid)
	}
	if n := len(bb.events(t, "govstack.registration.v1.account.activated")); n != 1 {
		t.Fatalf("%d activated events", n)
	}
	chk, err = bb.accounts.CheckActivation(ctx, &registrationv1.CheckActivationRequest{Token: token})
	if err != nil || chk.GetValid() {
		t.Fatalf("used link still valid: %v, %v", chk, err)
	}
}

func TestDomainAccessRequest(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	_, err := bb.accounts.RequestDomainAccess(ctx, &registrationv1.RequestDomainAccessRequest{Email: "w@moj.gov.example",
		Name: "W", Organisation: "MoJ", Reason: "we are"})
	wantReason(t, err, codes.FailedPrecondition, "DOMAIN_ALREADY_APPROVED")
	resp, err := bb.accounts.RequestDomainAccess(ctx, &registrationv1.RequestDomainAccessRequest{Email: "w@newagency.example",
		Name: "W", Organisation: "New Agency", Reason: "a new public agency"})
	if err != nil || resp.GetRequest().GetFileId() == "" {
		t.Fatalf("request: %v, %v", resp, err)
	}
	ev := bb.lastEventFor(t, "govstack.registration.v1.domain_access.requested", "domain", "newagency.example")
	if ev["fileId"] != resp.GetRequest().GetFileId() {
		t.Fatalf("event = %v", ev)
	}
}
