package app

import (
	"context"
	"fmt"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/usertoken"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// StaffResult is a bulk registration's outcome.
type StaffResult struct {
	Registered, Failed int
	Rows               []StaffRowResult
}

// StaffRowResult is one row's outcome: the account made for it, or why there is none.
type StaffRowResult struct {
	Row       int // 1-based
	Email     string
	AccountID string
	Err       *apierr.Error // nil when the row was registered
}

// RegisterStaff registers hospital staff in bulk (admin only): each good row gets a hospital-staff registry
// record and an account pending activation; each bad row is reported and the others go on.
func (s *Service) RegisterStaff(ctx context.Context, hospitalID, csvText string, rows []domain.StaffRow) (StaffResult, error) {
	admin, err := usertoken.RequireRole(ctx, usertoken.RoleAdmin)
	if err != nil {
		return StaffResult{}, err
	}
	if csvText != "" {
		if rows, err = domain.ParseStaffCSV(csvText); err != nil {
			return StaffResult{}, err
		}
	}
	if len(rows) == 0 {
		return StaffResult{}, domain.FieldError(domain.ReasonInvalidField, "csv", "send a CSV with a header row and at least one row, or rows")
	}
	if len(rows) > domain.MaxStaffRows {
		return StaffResult{}, domain.FieldError(domain.ReasonTooManyRows, "rows", fmt.Sprintf("at most %d rows per upload", domain.MaxStaffRows))
	}
	hospital, found, err := s.registries.ReadRecord(ctx, regHospitals, map[string]any{"id": hospitalID})
	if err != nil {
		return StaffResult{}, err
	}
	if !found {
		return StaffResult{}, apierr.NotFound(domain.ReasonHospitalNotFound, "hospital "+hospitalID+" is not in the hospitals registry")
	}
	var out StaffResult
	seen := map[string]bool{}
	for i, r := range rows {
		res := s.staffRow(ctx, admin.Subject, hospitalID, str(hospital, "name"), r, seen)
		res.Row = i + 1
		if res.Err == nil {
			out.Registered++
		} else {
			out.Failed++
		}
		out.Rows = append(out.Rows, res)
	}
	return out, nil
}

// staffRow registers one row; its error (if any) goes in the result.
func (s *Service) staffRow(ctx context.Context, adminID, hospitalID, hospitalName string, raw domain.StaffRow, seen map[string]bool) StaffRowResult {
	res := StaffRowResult{Email: raw.Email}
	fail := func(err error) StaffRowResult {
		e, ok := apierr.As(err)
		if !ok {
			s.log.Error("staff row failed", "err", err)
			e = apierr.New(apierr.KindInternal, "INTERNAL", "could not register this row; try it again")
		}
		res.Err = e
		return res
	}
	r, err := domain.ValidateStaffRow(raw)
	if err != nil {
		return fail(err)
	}
	res.Email = r.Email
	if seen["id:"+r.StaffID] || seen["email:"+domain.EmailKey(r.Email)] {
		return fail(apierr.Invalid(domain.ReasonDuplicateRow, "an earlier row has the same staffId or email"))
	}
	seen["id:"+r.StaffID], seen["email:"+domain.EmailKey(r.Email)] = true, true
	errExists := apierr.AlreadyExists(domain.ReasonAlreadyRegistered, "an account with this staffId at this hospital, or this email, exists")
	if exists, err := s.store.AccountExists(ctx, AccountKeys{Email: r.Email, HospitalID: hospitalID, StaffID: r.StaffID}); err != nil || exists {
		return fail(errOr(err, errExists))
	}
	key := hospitalID + "/" + r.StaffID
	if err := s.registries.UpsertRecord(ctx, regHospitalStaff, map[string]any{"id": key}, map[string]any{"id": key,
		"staffId": r.StaffID, "hospitalId": hospitalID, "name": r.Name, "email": r.Email, "specialty": r.Specialty,
		"departmentId": r.DepartmentID}); err != nil {
		return fail(err)
	}
	reg, err := s.register(ctx, newAccount{
		account: domain.Account{Email: r.Email, Name: r.Name, Organisation: hospitalName, Roles: []string{usertoken.RoleStaff},
			HospitalID: hospitalID, StaffID: r.StaffID, RegisteredBy: adminID},
		onExisting: func(domain.Account) error { return errExists },
		also: func(ctx context.Context, tx Tx, accountID string) error {
			return s.audit(ctx, tx, domain.AuditEntry{ActorID: adminID, Action: "staff.register", Subject: hospitalID,
				Detail: map[string]any{"accountId": accountID, "staffId": r.StaffID}})
		},
	})
	if err != nil {
		return fail(err)
	}
	res.AccountID = reg.accountID
	return res
}
