package directory_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/authn"
	"github.com/govstackbb/marketplace/gateway/internal/rest"
)

// TestOperatorWalkThrough follows the operator guide with real credentials, through the gateway's
// authentication middleware: bootstrap an admin key, register a client, issue its key, grant it one
// endpoint, and watch allowedMethods and revocation as that client.
func TestOperatorWalkThrough(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	adminKey, _, err := e.store.BootstrapAdminKey(context.Background(), admin)
	must(t, err)
	srv := httptest.NewServer(rest.NormaliseIdentity(authn.Middleware(e.store, authn.Options{}, e.mux)))
	t.Cleanup(srv.Close)
	call := func(method, path, client, key, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		must(t, err)
		req.Header.Set("X-GovStack-Client", client)
		if key != "" {
			req.Header.Set(authn.APIKeyHeader, key)
		}
		resp, err := srv.Client().Do(req)
		must(t, err)
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		must(t, err)
		return resp.StatusCode, string(out)
	}
	a := admin.String()
	if code, body := call("GET", "/api/v1/status", a, "", ""); code != 401 {
		t.Fatalf("header without credential: %d %s", code, body)
	}
	if code, body := call("PUT", "/api/v1/clients/GOVSTACK:GOV:70000009:kiosk", a, adminKey, `{"memberName":"Kiosk Ltd"}`); code != 200 {
		t.Fatalf("register: %d %s", code, body)
	}
	code, body := call("POST", "/api/v1/clients/GOVSTACK:GOV:70000009:kiosk/apikeys", a, adminKey, "")
	if code != 201 {
		t.Fatalf("issue key: %d %s", code, body)
	}
	var issued struct{ ID, Key string }
	must(t, json.Unmarshal([]byte(body), &issued))
	kiosk := "GOVSTACK/GOV/70000009/kiosk"
	grant := `[{"memberClass":"GOV","memberCode":"GOVSTACK","applicationId":"registries","serviceId":"registries",
		"rights":[{"memberClass":"GOV","memberCode":"70000009","applicationId":"kiosk","endpoints":["` + readRecord + `"]}]}]`
	if code, body := call("PATCH", "/api/v1/rights/allow", a, adminKey, grant); code != 200 {
		t.Fatalf("grant: %d %s", code, body)
	}
	code, body = call("GET", r1+"/allowedMethods", kiosk, issued.Key, "")
	if code != 200 || !strings.Contains(body, readRecord) || strings.Contains(body, createRecord) {
		t.Fatalf("allowedMethods as kiosk: %d %s", code, body)
	}
	if code, _ := call("GET", "/api/v1/status", kiosk, issued.Key, ""); code != 403 {
		t.Fatalf("kiosk reached the admin API: %d", code)
	}
	if code, _ := call("GET", r1+"/allowedMethods", "GOVSTACK/GOV/70000001/portal", issued.Key, ""); code != 403 {
		t.Fatalf("kiosk's key claiming to be portal: %d", code)
	}
	if code, body := call("DELETE", "/api/v1/clients/GOVSTACK:GOV:70000009:kiosk/apikeys/"+issued.ID, a, adminKey, ""); code != 204 {
		t.Fatalf("revoke: %d %s", code, body)
	}
	if code, _ := call("GET", r1+"/allowedMethods", kiosk, issued.Key, ""); code != 401 {
		t.Fatalf("revoked key: %d", code)
	}
}
