package domain

import (
	"slices"
	"testing"

	"github.com/govstackbb/marketplace/platform/apierr"
)

func TestSupplierDraftApply(t *testing.T) {
	tests := []struct {
		name        string
		fields      SupplierDraftFields
		bad         []string // the fields the error names
		wantMissing []string
	}{
		{"nothing", SupplierDraftFields{}, nil, []string{"contactName", "contactEmail", "contactPhone", "loginEmail"}},
		{"all good", SupplierDraftFields{ContactName: "Ann", ContactEmail: "ann@x.example", ContactPhone: "+44 7700 900123",
			LoginEmail: "login@x.example"}, nil, nil},
		{"every bad one told", SupplierDraftFields{ContactEmail: "nope", ContactPhone: "12"}, []string{"contactEmail", "contactPhone"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := SupplierDraft{CompanyName: "Contoso"}
			err := d.Apply(tt.fields)
			if tt.bad != nil {
				e, ok := apierr.As(err)
				if !ok {
					t.Fatalf("err = %v", err)
				}
				var got []string
				for _, v := range e.Violations {
					got = append(got, v.Field)
				}
				if !slices.Equal(got, tt.bad) {
					t.Errorf("violations on %v, want %v", got, tt.bad)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Missing(); !slices.Equal(got, tt.wantMissing) {
				t.Errorf("Missing = %v, want %v", got, tt.wantMissing)
			}
		})
	}
}
