package e2e

import (
	"context"
	"testing"

	"github.com/govstackbb/marketplace/internal/devstack"
	"github.com/govstackbb/marketplace/platform/imident"
)

// TestProductionBannerFirstRequest walks the steps `govstack dev` prints out of development mode
// (cmd/govstack/banner.go): an admin key from `govstack admin-key`, a client registered and given a key and
// the ListRecords right, and the first request as that client.
func TestProductionBannerFirstRequest(t *testing.T) {
	var cfg devstack.Config
	s := startStackWith(t, func(c *devstack.Config) { c.DevMode = false; cfg = *c })
	admin := imident.Client{Instance: "GOVSTACK", Class: "GOV", Member: "ADMIN", Subsystem: "console"}
	key, err := devstack.IssueAdminKey(context.Background(), cfg, admin) // what `govstack admin-key` runs
	if err != nil {
		t.Fatal(err)
	}
	im := map[string]string{"Information-Mediator-Client": "", "X-GovStack-Client": admin.String(), "X-GovStack-Api-Key": key}
	expect(t, s.do(t, "PUT", "/api/v1/clients/GOVSTACK:GOV:70000001:portal", `{"memberName": "Ministry of Interior"}`, im), 200)
	r := s.do(t, "POST", "/api/v1/clients/GOVSTACK:GOV:70000001:portal/apikeys", "", im)
	expect(t, r, 201, `"key":"gsim_`)
	portalKey := r.json(t).(map[string]any)["key"].(string)
	expect(t, s.do(t, "PATCH", "/api/v1/rights/allow", `[{"memberClass": "GOV", "memberCode": "GOVSTACK",
    "applicationId": "registries", "serviceId": "registries",
    "rights": [{"memberClass": "GOV", "memberCode": "70000001", "applicationId": "portal",
    "endpoints": ["/govstack.registries.v1.RegistriesService/ListRecords"]}]}]`, im), 200, "allowed")
	portal := map[string]string{"Information-Mediator-Client": "", "X-GovStack-Client": "GOVSTACK/GOV/70000001/portal", "X-GovStack-Api-Key": portalKey}
	expect(t, s.do(t, "GET", "/data/public-sector-domains/1.0", "", portal), 200, "gov")
}
