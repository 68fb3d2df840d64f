package rest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
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
	// Current spellings and near misses stay as they are.
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

func TestQueryMapDotSyntax(t *testing.T) {
	tests := []struct {
		query string
		want  map[string]string
		page  int32
	}{
		{"query.firstName=Ada&query.last+name=Lovelace&page=3", map[string]string{"firstName": "Ada", "last name": "Lovelace"}, 3},
		{"query[firstName]=Ada", map[string]string{"firstName": "Ada"}, 0},
		{"query.a.b=c", map[string]string{"a.b": "c"}, 0}, // the key is everything after the first dot
	}
	for _, tc := range tests {
		values, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		var req registriesv1.ListRecordsRequest
		if err := (queryParser{}).Parse(&req, values, utilities.NewDoubleArray(nil)); err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		if !reflect.DeepEqual(req.Query, tc.want) || req.Page != tc.page {
			t.Errorf("%s: query = %v page = %d, want %v %d", tc.query, req.Query, req.Page, tc.want, tc.page)
		}
	}
	// Not a map field: left for grpc-gateway to judge.
	values := url.Values{"page.x": {"1"}}
	if got := mapDotToBracket(&registriesv1.ListRecordsRequest{}, values); !reflect.DeepEqual(got, values) {
		t.Errorf("page.x rewritten to %v", got)
	}
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
