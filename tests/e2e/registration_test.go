package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
)

const (
	e2eAdminEmail    = "registrar@moj.gov.example"
	e2eAdminPassword = "correct horse battery staple 42"
)

// TestBuyerRegistration is the eMarketplace buyer and supplier registration through the gateway's REST API
// only, as a new user would go through it: a public-sector worker with an approved domain registers, gets the
// activation e-mail at a real SMTP server, activates, signs in and holds a token with the buyer role; a second
// registration with the same e-mail is answered exactly like a first one; a supplier with an unknown company
// id is refused; a worker whose domain is not recognised requests access, an administrator approves it, the
// domain is in the registry and the worker registers.
func TestBuyerRegistration(t *testing.T) {
	s := startStackWith(t, func(c *devstack.Config) {
		c.Registration.AdminEmail, c.Registration.AdminPassword = e2eAdminEmail, e2eAdminPassword
	})
	suffix := fmt.Sprint(time.Now().UnixNano() % 1_000_000)
	email := "jane.doe." + suffix + "@moj.gov.example"
	const password = "a long enough passphrase 7"

	first := s.do(t, "POST", "/accounts/buyers", `{"email":"`+email+`","name":"Jane Doe","organisation":"Ministry of Justice"}`, nil)
	expect(t, first, 200, `"message"`)
	token := activationToken(t, s, email, 1)

	t.Run("the activation link opens and enforces the password policy", func(t *testing.T) {
		expect(t, s.do(t, "GET", "/accounts/activate?token="+token, "", nil), 200, `"valid":true`)
		expect(t, s.do(t, "POST", "/accounts/activate", `{"token":"`+token+`","password":"short"}`, nil), 400,
			"WEAK_PASSWORD", `"password"`)
	})
	expect(t, s.do(t, "POST", "/accounts/activate", `{"token":"`+token+`","password":"`+password+`"}`, nil), 200, `"active"`)
	expect(t, s.do(t, "POST", "/accounts/activate", `{"token":"`+token+`","password":"`+password+`"}`, nil), 400, "INVALID_TOKEN")

	access := signIn(t, s, email, password)
	if roles := tokenRoles(t, access); !slices.Contains(roles, "buyer") {
		t.Fatalf("the access token's roles are %v, want buyer", roles)
	}
	expect(t, s.do(t, "GET", "/accounts/me", "", bearer(access)), 200, `"buyer"`, email)

	t.Run("a second registration with the same e-mail reveals nothing", func(t *testing.T) {
		again := s.do(t, "POST", "/accounts/buyers", `{"email":"`+email+`","name":"Jane Doe","organisation":"Ministry of Justice"}`, nil)
		other := "someone.new." + suffix + "@moj.gov.example"
		fresh := s.do(t, "POST", "/accounts/buyers", `{"email":"`+other+`","name":"Sam New","organisation":"Ministry of Justice"}`, nil)
		if again.code != fresh.code || maskedShape(again.body, email) != maskedShape(fresh.body, other) {
			t.Fatalf("a registered and a new address are answered differently:\n%d %s\n%d %s", again.code, again.body, fresh.code, fresh.body)
		}
		// The owner is told instead, and the account is untouched: the old password still signs in.
		s.mail.waitFor(t, 1, func(m received) bool { return m.To == email && !strings.Contains(m.Body, "activate?token=") })
		signIn(t, s, email, password)
	})

	t.Run("wrong credentials are one 401 whatever was wrong", func(t *testing.T) {
		wrong := s.do(t, "POST", "/auth/token", `{"email":"`+email+`","password":"not the password at all"}`, nil)
		unknown := s.do(t, "POST", "/auth/token", `{"email":"nobody.`+suffix+`@moj.gov.example","password":"not the password at all"}`, nil)
		expect(t, wrong, 401, "INVALID_CREDENTIALS")
		expect(t, unknown, 401, "INVALID_CREDENTIALS")
	})

	t.Run("a supplier with an unknown or malformed company id is refused", func(t *testing.T) {
		expect(t, s.do(t, "POST", "/accounts/suppliers/drafts", `{"company_id":"999999999"}`, nil), 404, "COMPANY_NOT_FOUND")
		expect(t, s.do(t, "POST", "/accounts/suppliers/drafts", `{"company_id":"not-a-number"}`, nil), 400, "INVALID_COMPANY_ID")
	})

	t.Run("documents are uploaded as multipart and read back by their owner only", func(t *testing.T) {
		// As large as Registration takes (5 MiB): past gRPC's default 4 MiB message, so it proves the IM and
		// the gateway carry a document back whole.
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 5<<20-1024)...)
		r := uploadDocument(t, s, "scan.png", png, access)
		expect(t, r, 200, `"url":"/documents/`)
		url := r.json(t).(map[string]any)["url"].(string)
		got := s.do(t, "GET", url, "", bearer(access))
		if got.code != 200 || got.body != string(png) || got.header.Get("Content-Type") != "image/png" ||
			got.header.Get("Content-Disposition") != "attachment; filename=scan.png" {
			t.Fatalf("download: %d %q %q, %d bytes of %d", got.code, got.header.Get("Content-Type"),
				got.header.Get("Content-Disposition"), len(got.body), len(png))
		}
		expect(t, uploadDocument(t, s, "notes.pdf", []byte("just text, not a PDF"), access), 400, "UNSUPPORTED_DOCUMENT_TYPE")
	})

	t.Run("a personal e-mail is refused", func(t *testing.T) {
		expect(t, s.do(t, "POST", "/accounts/buyers", `{"email":"jane.`+suffix+`@gmail.example","name":"Jane","organisation":"Jane Ltd"}`, nil), 400,
			"DOMAIN_NOT_APPROVED", "/accounts/domain-requests")
	})

	t.Run("the GovStack e-services list the account flows and their files", func(t *testing.T) {
		r := s.do(t, "GET", "/services?name=buyer", "", nil)
		expect(t, r, 200, "buyer")
		serviceID := r.json(t).([]any)[0].(map[string]any)["id"].(string)
		expect(t, s.do(t, "GET", "/services/"+serviceID+"/eForms", "", nil), 200, `"eFormId"`)
		// Files hold personal data: the buyer's own token shows theirs; an IM client without one is told to sign in.
		expect(t, s.do(t, "GET", "/applications?serviceId="+serviceID, "", nil), 401, "SIGN_IN_REQUIRED")
		expect(t, s.do(t, "GET", "/applications?serviceId="+serviceID, "", bearer(access)), 200, `"fileId"`)
		expect(t, s.do(t, "GET", "/data/statistics", "", map[string]string{"Information-Mediator-Client": ""}), 400)
		expect(t, s.do(t, "GET", "/data/statistics/1.0?timeframe=month", "", nil), 200)
		expect(t, s.do(t, "GET", "/openapi/registration.json", "", nil), 200, "/accounts/buyers", "/data/statistics")
	})
}

// TestDomainAccessRequest is the alternative course: a worker whose e-mail domain is not in the registry asks
// for access, an administrator approves the request, the worker is e-mailed a registration link, the domain is
// in the public-sector domains registry, and the worker registers and signs in as a buyer.
func TestDomainAccessRequest(t *testing.T) {
	s := startStackWith(t, func(c *devstack.Config) {
		c.Registration.AdminEmail, c.Registration.AdminPassword = e2eAdminEmail, e2eAdminPassword
	})
	suffix := fmt.Sprint(time.Now().UnixNano() % 1_000_000)
	domain := "prisons" + suffix + ".gov.example"
	email := "warden@" + domain
	register := `{"email":"` + email + `","name":"Wendy Warden","organisation":"Prison Service"}`

	expect(t, s.do(t, "POST", "/accounts/buyers", register, nil), 400, "DOMAIN_NOT_APPROVED")
	// A buyer gives a name and an organisation (MP-01); a personal webmail domain is never put forward.
	expect(t, s.do(t, "POST", "/accounts/buyers", `{"email":"`+email+`"}`, nil), 400, `"field":"name"`, `"field":"organisation"`)
	expect(t, s.do(t, "POST", "/accounts/domain-requests", `{"email":"wendy@gmail.com","name":"Wendy Warden",
		"organisation":"Prison Service","reason":"please"}`, nil), 400, "WEBMAIL_DOMAIN", "personal webmail domain")
	r := s.do(t, "POST", "/accounts/domain-requests", `{"email":"`+email+`","name":"Wendy Warden",
		"organisation":"Prison Service","reason":"Executive agency of the Ministry of Justice"}`, nil)
	expect(t, r, 200, `"fileId"`)
	fileID := r.json(t).(map[string]any)["fileId"].(string)
	// The administrators are told a request waits for them.
	s.mail.waitFor(t, 1, func(m received) bool {
		return m.To == e2eAdminEmail && strings.Contains(m.Subject, domain) && strings.Contains(m.Body, fileID)
	})

	// Only an administrator may see and decide it.
	admin := signIn(t, s, e2eAdminEmail, e2eAdminPassword)
	expect(t, s.do(t, "GET", "/tasks?fileId="+fileID, "", nil), 401, "SIGN_IN_REQUIRED")
	tasks := s.do(t, "GET", "/tasks?fileId="+fileID, "", bearer(admin))
	expect(t, tasks, 200, fileID)
	taskID := tasks.json(t).([]any)[0].(map[string]any)["taskId"].(string)
	decide := `{"data":{"decision":"approve","comment":"Executive agency, confirmed"}}`
	expect(t, s.do(t, "POST", "/tasks/"+taskID+"/complete", decide, nil), 401)
	expect(t, s.do(t, "POST", "/tasks/"+taskID+"/complete", decide, bearer(admin)), 200, "APPROVED")
	expect(t, s.do(t, "POST", "/tasks/"+taskID+"/complete", decide, bearer(admin)), 400, "TASK_COMPLETED")

	// The worker is told, with a link to register; the domain is in the registry now.
	s.mail.waitFor(t, 1, func(m received) bool { return m.To == email && strings.Contains(m.Body, "/register/buyer") })
	expect(t, s.do(t, "GET", "/data/public-sector-domains/1.0?query.domain="+domain, "", nil), 200, domain)
	expect(t, s.do(t, "GET", "/applications/"+fileID, "", bearer(admin)), 200, "APPROVED")

	expect(t, s.do(t, "POST", "/accounts/buyers", register, nil), 200)
	token := activationToken(t, s, email, 1)
	expect(t, s.do(t, "POST", "/accounts/activate", `{"token":"`+token+`","password":"the prison service 2026"}`, nil), 200)
	if roles := tokenRoles(t, signIn(t, s, email, "the prison service 2026")); !slices.Contains(roles, "buyer") {
		t.Fatalf("roles %v, want buyer", roles)
	}
}

var activationLink = regexp.MustCompile(`activate\?token=([A-Za-z0-9_-]+)`)

// activationToken waits for the n-th activation e-mail to addr and returns the token its link carries.
func activationToken(t *testing.T, s *stack, addr string, n int) string {
	t.Helper()
	got := s.mail.waitFor(t, n, func(m received) bool { return m.To == addr && activationLink.MatchString(m.Body) })
	return activationLink.FindStringSubmatch(got[n-1].Body)[1]
}

func signIn(t *testing.T, s *stack, email, password string) string {
	t.Helper()
	r := s.do(t, "POST", "/auth/token", `{"email":"`+email+`","password":"`+password+`"}`, nil)
	expect(t, r, 200, `"access_token"`, `"refresh_token"`)
	return r.json(t).(map[string]any)["access_token"].(string)
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

// tokenRoles reads the roles claim of a JWT without verifying it (the gateway and the BB did).
func tokenRoles(t *testing.T, jwt string) []string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims struct{ Roles []string }
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	return claims.Roles
}

// maskedShape replaces what depends on the address itself, so two answers can be compared.
func maskedShape(body, email string) string {
	local, domain, _ := strings.Cut(email, "@")
	body = strings.ReplaceAll(body, email, "<email>")
	body = strings.ReplaceAll(body, local[:1]+"***@"+domain, "<email>")
	return regexp.MustCompile(`"linkExpiresAt":"[^"]*"`).ReplaceAllString(body, `"linkExpiresAt":"<t>"`)
}

// uploadDocument posts one file as multipart/form-data, as a browser form would.
func uploadDocument(t *testing.T, s *stack, name string, content []byte, token string) response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = part.Write(content)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return s.do(t, "POST", "/documents", body.String(), map[string]string{"Content-Type": w.FormDataContentType(),
		"Authorization": "Bearer " + token})
}
