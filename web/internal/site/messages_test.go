package site

import (
	"testing"

	"github.com/govstackbb/marketplace/web/internal/i18n"
)

// Every message an API error can lead to exists in every language: each form's fields (required and
// invalid) and its reasons.
func TestEveryFieldMessageExists(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	maps := []fieldMap{signInFields, passwordFields, citizenFields, buyerFields, domainFields, supplierCompanyFields, supplierDetailFields,
		checkInFields, uploadFields, decisionFields}
	for _, lang := range i18n.Languages {
		for _, m := range maps {
			for _, field := range m.fields {
				for _, kind := range []string{"required", "invalid"} {
					if key := m.prefix + "." + field + "." + kind; !c.Has(lang, key) {
						t.Errorf("%s lacks %s", lang, key)
					}
				}
			}
			for reason, r := range m.reasons {
				if !c.Has(lang, r.key) {
					t.Errorf("%s lacks %s (reason %s)", lang, r.key, reason)
				}
			}
		}
		for _, key := range slotErrors {
			if !c.Has(lang, key) {
				t.Errorf("%s lacks %s", lang, key)
			}
		}
	}
}
