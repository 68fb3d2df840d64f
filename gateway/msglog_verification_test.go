package gateway_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/authn"
	"github.com/govstackbb/marketplace/platform/imident"
)

// verification is the answer of GET /api/v1/msglog/verification.
type verification struct {
	OK             bool  `json:"ok"`
	RecordsChecked int64 `json:"recordsChecked"`
	LimitReached   bool  `json:"limitReached"`
	ChainsOutside  int   `json:"chainsOutsideWindow"`
	Chains         []struct {
		Chain   string `json:"chain"`
		Records int64  `json:"recordsChecked"`
	} `json:"chains"`
	FirstBroken *struct {
		Chain string `json:"chain"`
		Seq   int64  `json:"seq"`
		Kind  string `json:"kind"`
	} `json:"firstBroken"`
}

// The message log's verification over the REST API (issue 18): IM admins only; the records of a time range,
// at most limit of them; a tampered record is the first broken one; a parameter that cannot be read is a 400
// naming it.
func TestMessageLogVerificationAPI(t *testing.T) {
	h := newIMHarness(t, nil)
	serveIM(t, h)
	ctx := context.Background()
	adminClient := imident.Client{Instance: "EE", Class: "GOV", Member: "70000009", Subsystem: "console"}
	adminKey := h.key(t, adminClient)
	if err := h.registry.GrantRole(ctx, adminClient, "admin"); err != nil {
		t.Fatal(err)
	}
	consumerKey := h.key(t, consumer)
	for _, id := range []string{"v1", "v2", "v3"} {
		h.call(t, "GET", "/databases", "", authn.APIKeyHeader, consumerKey, "X-Request-Id", id)
	}
	waitLogged(t, h, "message_id IN ('v1', 'v2', 'v3')", 3)
	verify := func(key, query string) response {
		return do(t, h.gw.Handler(), "GET", "/api/v1/msglog/verification"+query, "", authn.APIKeyHeader, key)
	}

	r := verify(adminKey, "")
	if r.status != http.StatusOK {
		t.Fatalf("verification: %d %s", r.status, r.body)
	}
	if v := decode[verification](t, r.body); !v.OK || v.RecordsChecked < 6 || v.FirstBroken != nil {
		t.Fatalf("an intact log: %s", r.body)
	}
	wantError(t, verify(consumerKey, ""), http.StatusForbidden, "PERMISSION_DENIED")
	for query, param := range map[string]string{"?from=yesterday": "from", "?to=now": "to", "?limit=0": "limit",
		"?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z": "before", "?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z": "31 days"} {
		if e := wantError(t, verify(adminKey, query), http.StatusBadRequest, "INVALID_ARGUMENT"); !strings.Contains(e.Message, param) {
			t.Errorf("%s: %q does not name %s", query, e.Message, param)
		}
	}
	// A window before any record walks nothing; a limit stops the walk and says so.
	past := "?from=" + url.QueryEscape(time.Now().Add(-48*time.Hour).Format(time.RFC3339)) + "&to=" +
		url.QueryEscape(time.Now().Add(-47*time.Hour).Format(time.RFC3339))
	if v := decode[verification](t, verify(adminKey, past).body); v.RecordsChecked != 0 || v.ChainsOutside == 0 || !v.OK {
		t.Errorf("a window before the records: %+v", v)
	}
	if v := decode[verification](t, verify(adminKey, "?limit=2").body); v.RecordsChecked != 2 || !v.LimitReached {
		t.Errorf("limit 2: %+v", v)
	}

	if _, err := h.deps.Pool.Exec(ctx, `UPDATE im_msglog_record SET status = 500 WHERE message_id = 'v2' AND direction = 'response'`); err != nil {
		t.Fatal(err)
	}
	v := decode[verification](t, verify(adminKey, "").body)
	if v.OK || v.FirstBroken == nil || v.FirstBroken.Kind != "tampered" {
		t.Fatalf("a tampered record: %+v", v)
	}
}
