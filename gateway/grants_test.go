package gateway

import (
	"testing"

	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
)

// TestCatalogSpellsThePersonalDataRight: the catalog (whose module cannot import the platform) names the
// personal-data right as the IM's rights model does, so grantBBs gives procurement that right on Registration.
func TestCatalogSpellsThePersonalDataRight(t *testing.T) {
	if catalog.PersonalData != imident.PersonalDataEndpoint {
		t.Fatalf("catalog.PersonalData = %q, the IM's right is %q", catalog.PersonalData, imident.PersonalDataEndpoint)
	}
}
