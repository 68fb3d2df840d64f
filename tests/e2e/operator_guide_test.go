package e2e

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
	"github.com/govstackbb/marketplace/platform/imident"
)

// TestOperatorGuideWalkThrough follows docs/im-operator-guide.md section 6 against a gateway in production
// mode: an admin registers a portal subsystem, issues it a key and grants it the Registries' ReadRecord; the
// portal reads through /r1, a create is refused, both calls are in the message log (operational data), the
// log verifies, and after the right is denied the next read is refused.
func TestOperatorGuideWalkThrough(t *testing.T) {
	s := startStackWith(t, func(c *devstack.Config) { c.DevMode = false })
	ctx := context.Background()
	admin := imident.Client{Instance: "GOVSTACK", Class: "GOV", Member: "ADMIN", Subsystem: "console"}
	adminKey, err := s.dev.IssueAPIKey(ctx, admin, true) // `gateway admin-key GOVSTACK/GOV/ADMIN/console`
	if err != nil {
		t.Fatal(err)
	}
	as := func(client, key string) map[string]string {
		return map[string]string{"Information-Mediator-Client": "", "X-GovStack-Client": client, "X-GovStack-Api-Key": key}
	}
	im := as(admin.String(), adminKey)

	// Without a credential the production gateway refuses the claim.
	expect(t, s.do(t, "GET", "/data/cities/1.0", "", nil), 401, "is a claim, not proof")

	// 1. Register the caller; 2. issue it a key.
	expect(t, s.do(t, "PUT", "/api/v1/clients/GOVSTACK:GOV:70000001:portal", `{"memberName":"Ministry of Interior"}`, im), 200)
	r := s.do(t, "POST", "/api/v1/clients/GOVSTACK:GOV:70000001:portal/apikeys", "", im)
	expect(t, r, 201, `"key":"gsim_`)
	portal := as("GOVSTACK/GOV/70000001/portal", r.json(t).(map[string]any)["key"].(string))

	// 3. Grant it the Registries' ReadRecord.
	grant := `[{"memberClass":"GOV","memberCode":"GOVSTACK","applicationId":"registries","serviceId":"registries",
	  "rights":[{"memberClass":"GOV","memberCode":"70000001","applicationId":"portal",
	             "endpoints":["/govstack.registries.v1.RegistriesService/ReadRecord"]}]}]`
	expect(t, s.do(t, "PATCH", "/api/v1/rights/allow", grant, im), 200, "allowed")

	// 4. As the portal: allowedMethods shows ReadRecord, a read succeeds, a create is refused.
	const service = "/r1/GOVSTACK/GOV/GOVSTACK/registries/registries"
	expect(t, s.do(t, "GET", "/r1/GOVSTACK/GOV/GOVSTACK/registries/allowedMethods", "", portal), 200, "ReadRecord")
	read := `{"query":{"content":{"id":"city-tartu"}}}`
	expect(t, s.do(t, "POST", service+"/data/cities/1.0/read", read, portal), 200, `"name":"Tartu"`)
	expect(t, s.do(t, "POST", service+"/data/cities/1.0/create", `{"write":{"content":{"id":"x","name":"X","country":"EE"}}}`, portal),
		403, "has no access to /govstack.registries.v1.RegistriesService/CreateRecord")

	// 5. Both calls are in the message log, which the portal can see as operational data, and it verifies.
	deadline := time.Now().Add(15 * time.Second)
	for {
		r := s.do(t, "GET", "/api/v1/opdata?limit=100", "", portal)
		if r.code == 200 && strings.Contains(r.body, "ReadRecord") && strings.Contains(r.body, "CreateRecord") &&
			strings.Contains(r.body, "403") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the portal's calls are not in its operational data: %d %s", r.code, r.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var report bytes.Buffer
	if err := s.dev.VerifyLog(ctx, &report); err != nil {
		t.Fatalf("verify-log: %v\n%s", err, report.String())
	}

	// 6. Deny the right: the next read is refused.
	expect(t, s.do(t, "PATCH", "/api/v1/rights/deny", strings.Replace(grant, `,
	             "endpoints":["/govstack.registries.v1.RegistriesService/ReadRecord"]`, "", 1), im), 200)
	expect(t, s.do(t, "POST", service+"/data/cities/1.0/read", read, portal), 403, "no access")
}
