package domain

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// MaxStaffRows is the most rows one bulk registration may carry.
const MaxStaffRows = 1000

// StaffColumns are the CSV header's names (in any order).
var StaffColumns = []string{"staffId", "name", "email", "specialty", "departmentId"}

// StaffRow is one staff member of a bulk registration, as given.
type StaffRow struct {
	StaffID, Name, Email, Specialty, DepartmentID string
}

var staffIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// ParseStaffCSV reads a CSV upload with a header row naming exactly StaffColumns (any order) and at most
// MaxStaffRows data rows.
func ParseStaffCSV(text string) ([]StaffRow, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, csvError("the CSV needs a header row: " + strings.Join(StaffColumns, ","))
	}
	idx, err := headerIndex(header)
	if err != nil {
		return nil, err
	}
	var rows []StaffRow
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, csvError(fmt.Sprintf("line %d: %v", pe.Line, pe.Err))
			}
			return nil, csvError(err.Error())
		}
		if len(rows) == MaxStaffRows {
			return nil, apierr.Invalid(ReasonTooManyRows, fmt.Sprintf("at most %d rows per upload: split the file", MaxStaffRows),
				apierr.FieldViolation{Field: "csv", Description: "too many rows"})
		}
		get := func(col string) string { return strings.TrimSpace(rec[idx[col]]) }
		rows = append(rows, StaffRow{StaffID: get("staffId"), Name: get("name"), Email: get("email"),
			Specialty: get("specialty"), DepartmentID: get("departmentId")})
	}
	return rows, nil
}

func headerIndex(header []string) (map[string]int, error) {
	idx := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !slices.Contains(StaffColumns, h) {
			return nil, csvError(fmt.Sprintf("unknown column %q: the header must be %s (any order)", h, strings.Join(StaffColumns, ",")))
		}
		if _, dup := idx[h]; dup {
			return nil, csvError(fmt.Sprintf("column %q appears twice", h))
		}
		idx[h] = i
	}
	for _, c := range StaffColumns {
		if _, ok := idx[c]; !ok {
			return nil, csvError(fmt.Sprintf("column %q is missing: the header must be %s (any order)", c, strings.Join(StaffColumns, ",")))
		}
	}
	return idx, nil
}

func csvError(msg string) error {
	return apierr.Invalid(ReasonInvalidCSV, "csv: "+msg, apierr.FieldViolation{Field: "csv", Description: msg})
}

// ValidateStaffRow checks one row and returns it normalised; the error names every bad field.
func ValidateStaffRow(r StaffRow) (StaffRow, error) {
	var errs []error
	if !staffIDPattern.MatchString(r.StaffID) {
		errs = append(errs, FieldError(ReasonInvalidField, "staffId", "1 to 64 letters, digits, '.', '_' or '-'"))
	}
	keep := func(dst *string, v string, err error) {
		if err != nil {
			errs = append(errs, err)
			return
		}
		*dst = v
	}
	v, err := CheckText("name", r.Name, 1, 200)
	keep(&r.Name, v, err)
	v, err = NormalizeEmail("email", r.Email)
	keep(&r.Email, v, err)
	v, err = CheckText("specialty", r.Specialty, 1, 100)
	keep(&r.Specialty, v, err)
	v, err = CheckText("departmentId", r.DepartmentID, 0, 100)
	keep(&r.DepartmentID, v, err)
	return r, apierr.JoinInvalid(errs...)
}
