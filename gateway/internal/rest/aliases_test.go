package rest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// aliasCases gives at least one concrete request per entry of Aliases (TestEveryAliasIsTested checks that).
var aliasCases = []struct {
	alias    string // Aliases[i].Old this case exercises; empty for paths no alias may touch
	in, want string
}{
	{"/data/{registryName}/{versionNumber}/update-entries", "/data/patients/1.0/update-entries", "/data/patients/1.0/updateEntries"},
	{"/data/{registryName}/{versionNumber}/update-or-create", "/data/patients/1.0/update-or-create", "/data/patients/1.0/updateOrCreate"},
	{"/data/{registryName}/{versionNumber}/{id}/read-value/{fieldExt}", "/data/patients/1.0/rec-1/read-value/firstName.json",
		"/data/patients/1.0/rec-1/readValue/firstName.json"},
	{"/data/{registryName}/{versionNumber}/{id}/read-value/{fieldExt}", "/data/p/2/a%2Fb/read-value/first%20name.json",
		"/data/p/2/a%2Fb/readValue/first%20name.json"},
	{"/data/MyPersonalDataUsage/1.0", "/data/MyPersonalDataUsage/1.0", "/data/myPersonalDataUsage"},
	{"/data/MyPersonalDataUsage/1.0", "/data/mypersonaldatausage/1.0", "/data/myPersonalDataUsage"},
	{"/data/MyPersonalDataUsage", "/data/MyPersonalDataUsage", "/data/myPersonalDataUsage"},
	{"/instances/", "/instances/", "/instances"},
	{"", "/instances/7", "/instances/7"},
	{"/vouchers/voucher_redeemption", "/vouchers/voucher_redeemption", "/vouchers/voucher_redemption"},
	{"/beneficiary/", "/beneficiary/", "/beneficiary"},
	// Current spellings and near misses stay as they are.
	{"", "/beneficiary", "/beneficiary"},
	{"", "/vouchers/voucher_redemption", "/vouchers/voucher_redemption"},
	{"", "/data/patients/1.0/updateEntries", "/data/patients/1.0/updateEntries"},
	{"", "/data/patients/1.0/Update-Entries", "/data/patients/1.0/Update-Entries"}, // case folds only where the table says
	{"", "/data/patients/1.0/update-entries/x", "/data/patients/1.0/update-entries/x"},
	{"", "/data//1.0/update-entries", "/data//1.0/update-entries"}, // placeholders need a segment
	{"", "/data/MyPersonalDataUsage/2.0", "/data/MyPersonalDataUsage/2.0"},
	{"", "/databases", "/databases"},
}

func TestRewriteAliases(t *testing.T) {
	for _, tc := range aliasCases {
		t.Run(tc.in, func(t *testing.T) {
			var got *url.URL
			h := RewriteAliases(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r.URL }))
			req := httptest.NewRequest("GET", tc.in+"?page=2", nil)
			h.ServeHTTP(httptest.NewRecorder(), req)
			if got.EscapedPath() != tc.want {
				t.Errorf("path = %q, want %q", got.EscapedPath(), tc.want)
			}
			if got.RawQuery != "page=2" {
				t.Errorf("query = %q, want it kept", got.RawQuery)
			}
			if req.URL.EscapedPath() != tc.in {
				t.Errorf("the caller's request was modified: %q", req.URL.EscapedPath())
			}
		})
	}
}

func TestEveryAliasIsTested(t *testing.T) {
	tested := map[string]bool{}
	for _, tc := range aliasCases {
		tested[tc.alias] = true
	}
	for _, a := range Aliases {
		if !tested[a.Old] {
			t.Errorf("alias %s has no case in aliasCases", a.Old)
		}
	}
}

func TestCompileAliasesRejectsUnknownPlaceholder(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("want a panic for a placeholder Old does not capture")
		}
	}()
	compileAliases([]Alias{{Old: "/a/{x}", Current: "/b/{y}"}})
}

// FuzzRewrite: any path, no panic, and a rewritten path is already in its current spelling.
func FuzzRewrite(f *testing.F) {
	for _, tc := range aliasCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, p string) {
		out, ok := rewrite(p)
		if !ok {
			return
		}
		if again, ok := rewrite(out); ok && again != out {
			t.Errorf("rewrite(%q) = %q, but that rewrites again to %q", p, out, again)
		}
	})
}
