package api

import (
	"encoding/base64"

	"github.com/govstackbb/marketplace/platform/grpcerr"
	"google.golang.org/protobuf/types/known/timestamppb"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/app"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

func accountPB(a domain.Account) *registrationv1.Account {
	out := &registrationv1.Account{Id: a.ID, Email: a.Email, Name: a.Name, Roles: a.Roles, Status: a.Status,
		Organisation: a.Organisation, Created: timestamppb.New(a.Created), HospitalId: a.HospitalID}
	if a.Activated != nil {
		out.Activated = timestamppb.New(*a.Activated)
	}
	return out
}

func draftPB(d app.Draft) *registrationv1.SupplierDraft {
	return &registrationv1.SupplierDraft{DraftId: d.ID, CompanyId: d.CompanyID, CompanyScheme: d.CompanyScheme,
		RegisteredName: d.RegisteredName, CompanyName: d.CompanyName, ContactName: d.ContactName,
		ContactEmail: d.ContactEmail, ContactPhone: d.ContactPhone, LoginEmail: d.LoginEmail, Missing: d.Missing,
		ExpiresAt: timestamppb.New(d.ExpiresAt)}
}

func staffRows(rows []*registrationv1.StaffMember) []domain.StaffRow {
	out := make([]domain.StaffRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, domain.StaffRow{StaffID: r.GetStaffId(), Name: r.GetName(), Email: r.GetEmail(),
			Specialty: r.GetSpecialty(), DepartmentID: r.GetDepartmentId()})
	}
	return out
}

func tokensPB(t app.Tokens) *registrationv1.Tokens {
	return &registrationv1.Tokens{AccessToken: t.AccessToken, TokenType: "Bearer", ExpiresIn: t.ExpiresIn,
		RefreshToken: t.RefreshToken, Roles: t.Roles}
}

func jwksPB(keys []domain.PublicKey) []*registrationv1.Jwk {
	out := make([]*registrationv1.Jwk, 0, len(keys))
	for _, k := range keys {
		out = append(out, &registrationv1.Jwk{Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(k.Public),
			Kid: k.KID, Alg: "EdDSA", Use: "sig"})
	}
	return out
}

func acceptedPB(a app.Accepted) *registrationv1.Accepted {
	return &registrationv1.Accepted{Message: a.Message, LinkExpiresAt: timestamppb.New(a.LinkExpiresAt)}
}

// staffResultsPB reports each row; a failed row's reason reads as on the wire (GOVSTACK_REGISTRATION_<REASON>).
func staffResultsPB(rows []app.StaffRowResult) []*registrationv1.RowResult {
	out := make([]*registrationv1.RowResult, 0, len(rows))
	for _, r := range rows {
		res := &registrationv1.RowResult{Row: int32(r.Row), Email: r.Email, AccountId: r.AccountID}
		if r.Err != nil {
			res.Error, res.Reason = r.Err.Message, grpcerr.Reason(app.BB, r.Err.Reason)
		}
		out = append(out, res)
	}
	return out
}
