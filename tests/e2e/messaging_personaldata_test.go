package e2e

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
)

// mergeHeaders merges header sets, later ones winning.
func mergeHeaders(sets ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, h := range sets {
		maps.Copy(out, h)
	}
	return out
}

// grantMessagingPersonalData gives client the personal-data right on the Messaging service, as an operator
// does for a trusted back office (docs/im-operator-guide.md, "The personal-data right").
func grantMessagingPersonalData(t *testing.T, s *stack, client string) {
	t.Helper()
	admin := map[string]string{"Information-Mediator-Client": imAdmin}
	expect(t, s.do(t, "PUT", "/api/v1/clients/"+strings.ReplaceAll(client, "/", ":"), `{"memberName":"Hospital desk"}`, admin), 200)
	parts := strings.Split(client, "/")
	body := `[{"memberClass":"GOV","memberCode":"GOVSTACK","applicationId":"messaging","serviceId":"messaging",
	  "rights":[{"memberClass":"` + parts[1] + `","memberCode":"` + parts[2] + `","applicationId":"` + parts[3] + `",
	  "endpoints":["personal-data"]}]}]`
	expect(t, s.do(t, "PATCH", "/api/v1/rights/allow", body, admin), 200, "allowed")
}

// TestMessagingPersonalData walks issue 11's "being an IM client is not being every citizen" for Messaging,
// through the gateway: the demo client with the Messaging apiKey sends and reads its own requests' status,
// but the opt-out list and the dead letters (people's addresses) need the administrator's token or a back
// office with the IM's personal-data right; a signed-in citizen manages only their own address. And a single
// send to something that is not an address is the spec's 405.
func TestMessagingPersonalData(t *testing.T) {
	s := startStackWith(t, func(c *devstack.Config) { c.AdminClients = imAdmin })
	key := map[string]string{"apiKey": "govstack-dev-messaging-key"}
	suffix := fmt.Sprint(time.Now().UnixNano() % 1_000_000)
	quiet := "quiet-" + suffix + "@example.org"
	optOut := func(addr string) string { return `{"channel":"CHANNEL_EMAIL","address":"` + addr + `"}` }

	// The demo client: sends with its key, is told to sign in for the personal data.
	expect(t, s.do(t, "POST", "/send/email/single", `{"recipientInfo":{"email":"not-an-address"},
		"emailContent":{"title":"Hi","content":"x"}}`, key), 405, "RECIPIENT_INVALID", `"field":"recipientInfo.email"`)
	expect(t, s.do(t, "GET", "/opt-outs", "", key), 401, "SIGN_IN_REQUIRED", "personal-data right")
	expect(t, s.do(t, "GET", "/messages/dead-letter", "", key), 401, "SIGN_IN_REQUIRED")
	expect(t, s.do(t, "POST", "/opt-outs", optOut(quiet), key), 401, "SIGN_IN_REQUIRED")
	expect(t, s.do(t, "DELETE", "/opt-outs/CHANNEL_EMAIL/"+quiet, "", key), 401, "SIGN_IN_REQUIRED")
	expect(t, s.do(t, "GET", "/templates", "", key), 200) // no personal data: the key is enough

	// The administrator's token (with the key: the key comes first).
	admin := bearer(signIn(t, s, devstack.DevAdminEmail, devstack.DevAdminPassword))
	expect(t, s.do(t, "GET", "/opt-outs", "", admin), 401, "apiKey")
	expect(t, s.do(t, "POST", "/opt-outs", optOut(quiet), mergeHeaders(key, admin)), 200, quiet)
	expect(t, s.do(t, "GET", "/opt-outs", "", mergeHeaders(key, admin)), 200, quiet)
	expect(t, s.do(t, "GET", "/messages/dead-letter", "", mergeHeaders(key, admin)), 200)

	// A back office with the personal-data right, no token.
	grantMessagingPersonalData(t, s, hospital)
	desk := mergeHeaders(key, map[string]string{"Information-Mediator-Client": hospital})
	expect(t, s.do(t, "GET", "/opt-outs", "", desk), 200, quiet)
	expect(t, s.do(t, "GET", "/messages/dead-letter", "", desk), 200)

	// A citizen: their own address only.
	email := "mari.opt." + suffix + "@example.org"
	expect(t, s.do(t, "POST", "/accounts/citizens", `{"citizen":{"nationalId":"EE37801010001","firstName":"Mari",
		"lastName":"Tamm","birthDate":"1978-01-01","email":"`+email+`"}}`, nil), 200)
	token := activationToken(t, s, email, 1)
	expect(t, s.do(t, "POST", "/accounts/activate", `{"token":"`+token+`","password":"a long and quiet evening walk"}`, nil), 200)
	mari := mergeHeaders(key, bearer(signIn(t, s, email, "a long and quiet evening walk")))
	expect(t, s.do(t, "POST", "/opt-outs", optOut(email), mari), 200, email)
	expect(t, s.do(t, "POST", "/opt-outs", optOut("someone-"+suffix+"@example.org"), mari), 403, "PERMISSION_DENIED")
	expect(t, s.do(t, "GET", "/messages/dead-letter", "", mari), 403, "PERMISSION_DENIED")
	if r := s.do(t, "GET", "/opt-outs", "", mari); r.code != 200 || !strings.Contains(r.body, email) || strings.Contains(r.body, quiet) {
		t.Errorf("Mari's view of the opt-out list: %d %s", r.code, r.body)
	}
	expect(t, s.do(t, "DELETE", "/opt-outs/CHANNEL_EMAIL/"+email, "", mari), 200)
}
