package registration_test

import (
	"context"
	"fmt"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
)

// fieldViolations are err's BadRequest violations as "field" or "field:REASON", in order.
func fieldViolations(err error) []string {
	var out []string
	st, _ := status.FromError(err)
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				s := v.GetField()
				if v.GetReason() != "" {
					s += ":" + v.GetReason()
				}
				out = append(out, s)
			}
		}
	}
	return out
}

// The gaps the portal found (issue 18): a citizen's registration names every bad field, a weak password
// says which rules it broke, and refusals about one field name it, so that a form shows each next to its
// field.
func TestRefusalsNameEveryField(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	_, err := bb.accounts.RegisterCitizen(ctx, &registrationv1.RegisterCitizenRequest{Citizen: &registrationv1.Citizen{
		LastName: "Tamm", BirthDate: "1978-13-01", Email: "not-an-email"}})
	wantReason(t, err, codes.InvalidArgument, "INVALID_FIELD")
	if got := fmt.Sprint(fieldViolations(err)); got != "[citizen.nationalId citizen.firstName citizen.birthDate citizen.email]" {
		t.Errorf("citizen violations %s", got)
	}
	_, err = bb.accounts.RegisterCitizen(ctx, &registrationv1.RegisterCitizenRequest{Citizen: &registrationv1.Citizen{
		NationalId: "EE00000000000", FirstName: "No", LastName: "Body", BirthDate: "1978-01-01", Email: "no.body@example.org"}})
	wantReason(t, err, codes.InvalidArgument, "CITIZEN_NOT_VERIFIED")
	if got := fmt.Sprint(fieldViolations(err)); got != "[citizen.nationalId]" {
		t.Errorf("not verified: %s", got)
	}

	if _, err := bb.accounts.RegisterBuyer(ctx, &registrationv1.RegisterBuyerRequest{Email: "ann@moj.gov.example",
		Name: "Ann", Organisation: "Ministry of Justice"}); err != nil {
		t.Fatal(err)
	}
	_, err = bb.accounts.Activate(ctx, &registrationv1.ActivateRequest{Token: bb.activationToken(t, "ann@moj.gov.example"), Password: "ann"})
	wantReason(t, err, codes.InvalidArgument, "WEAK_PASSWORD")
	if got := fmt.Sprint(fieldViolations(err)); got != "[password:PASSWORD_TOO_SHORT password:PASSWORD_CONTAINS_EMAIL]" {
		t.Errorf("weak password: %s", got)
	}

	_, err = bb.accounts.RegisterBuyer(ctx, &registrationv1.RegisterBuyerRequest{Email: "ann@gmail.com", Name: "Ann", Organisation: "Ministry"})
	wantReason(t, err, codes.FailedPrecondition, "DOMAIN_NOT_APPROVED")
	if got := fmt.Sprint(fieldViolations(err)); got != "[email]" {
		t.Errorf("domain not approved: %s", got)
	}
	_, err = bb.accounts.StartSupplier(ctx, &registrationv1.StartSupplierRequest{CompanyId: "999999999"})
	wantReason(t, err, codes.NotFound, "COMPANY_NOT_FOUND")
	if got := fmt.Sprint(fieldViolations(err)); got != "[companyId]" {
		t.Errorf("company not found: %s", got)
	}
}

// A staff member's token and account name their hospital (the Scheduling entity they work at).
func TestStaffTokenNamesTheHospital(t *testing.T) {
	bb := startBB(t)
	admin := withToken(context.Background(), bb.adminToken(t))
	csv := "email,staffId,name,specialty,departmentId\nnurse@example.org,N1,Nurse Ann,cardiology,\n"
	if resp, err := bb.accounts.RegisterStaff(admin, &registrationv1.RegisterStaffRequest{HospitalId: "hosp-north-tallinn", Csv: csv}); err != nil || resp.GetRegistered() != 1 {
		t.Fatalf("register staff %v, %v", resp, err)
	}
	ctx := context.Background()
	if _, err := bb.accounts.Activate(ctx, &registrationv1.ActivateRequest{Token: bb.activationToken(t, "nurse@example.org"), Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	token := bb.signIn(t, "nurse@example.org", goodPassword)
	if c := jwtClaims(t, token); c["hospital_id"] != "hosp-north-tallinn" {
		t.Errorf("claims %v", c)
	}
	me, err := bb.accounts.GetMe(withToken(ctx, token), &registrationv1.GetMeRequest{})
	if err != nil || me.GetAccount().GetHospitalId() != "hosp-north-tallinn" {
		t.Errorf("me = %v, %v", me, err)
	}
	if c := jwtClaims(t, bb.adminToken(t)); c["hospital_id"] != nil {
		t.Errorf("the administrator's token names a hospital: %v", c)
	}
}
