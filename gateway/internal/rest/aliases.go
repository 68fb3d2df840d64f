package rest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Alias maps an older spelling of a path, which the official GovStack test suites still call, onto the
// current path the protos declare (ARCHITECTURE.md §5: serve both spellings, keep the aliases in one table).
type Alias struct {
	Old      string // path template: literal segments and {name} placeholders, each one whole segment
	Current  string // same placeholders, in the current spelling
	FoldCase bool   // literal segments of Old match case-insensitively
}

// Aliases is the one table of older path spellings. It is applied before the REST mux, so an alias behaves
// exactly like the current path (same RPC, errors, limits, identity checks). The MyPersonalDataUsage
// entries shadow a registry of that name, which is how the GovStack spec defines the path.
var Aliases = []Alias{
	{Old: "/data/{registryName}/{versionNumber}/update-entries",
		Current: "/data/{registryName}/{versionNumber}/updateEntries"},
	{Old: "/data/{registryName}/{versionNumber}/update-or-create",
		Current: "/data/{registryName}/{versionNumber}/updateOrCreate"},
	{Old: "/data/{registryName}/{versionNumber}/{id}/read-value/{fieldExt}",
		Current: "/data/{registryName}/{versionNumber}/{id}/readValue/{fieldExt}"},
	{Old: "/data/MyPersonalDataUsage/1.0", Current: "/data/myPersonalDataUsage", FoldCase: true},
	{Old: "/data/MyPersonalDataUsage", Current: "/data/myPersonalDataUsage", FoldCase: true},
	// GovStack Workflow's OpenAPI spells the instance list /instances/, with the slash.
	{Old: "/instances/", Current: "/instances"},
	// Payments: GovStack's 1.0 voucher file spells redemption "redeemption"; its 3.0 account look-up is
	// documented with a trailing slash.
	{Old: "/vouchers/voucher_redeemption", Current: "/vouchers/voucher_redemption"},
	{Old: "/beneficiary/", Current: "/beneficiary"},
}

// Query parameters have one alias rule, too general for a table: for a map field M of the request message,
// M.<key>=v is read as M[<key>]=v. GovStack documents query.<field>=value for ListRecords. query.go applies it.

type compiledAlias struct {
	old, current []string // segments; "{name}" is a placeholder
	foldCase     bool
}

var compiledAliases = compileAliases(Aliases)

// compileAliases panics on a malformed table: it is static data, so a mistake is a programming error that
// the package's tests catch before anything ships.
func compileAliases(as []Alias) []compiledAlias {
	out := make([]compiledAlias, 0, len(as))
	for _, a := range as {
		ca := compiledAlias{old: splitPath(a.Old), current: splitPath(a.Current), foldCase: a.FoldCase}
		vars := map[string]bool{}
		for _, s := range ca.old {
			if isVar(s) {
				vars[s] = true
			}
		}
		for _, s := range ca.current {
			if isVar(s) && !vars[s] {
				panic(fmt.Sprintf("rest: alias %q uses %s, which %q does not capture", a.Current, s, a.Old))
			}
		}
		out = append(out, ca)
	}
	return out
}

func splitPath(p string) []string { return strings.Split(strings.TrimPrefix(p, "/"), "/") }

func isVar(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// rewrite returns the current spelling of an escaped path, or false when no alias matches. It works on
// escaped segments so that an encoded "/" inside a record id stays inside that segment.
func rewrite(escapedPath string) (string, bool) {
	segs := splitPath(escapedPath)
	for _, a := range compiledAliases {
		if out, ok := a.apply(segs); ok {
			return "/" + strings.Join(out, "/"), true
		}
	}
	return "", false
}

func (a compiledAlias) apply(segs []string) ([]string, bool) {
	if len(segs) != len(a.old) {
		return nil, false
	}
	captured := map[string]string{}
	for i, want := range a.old {
		switch {
		case isVar(want):
			if segs[i] == "" {
				return nil, false
			}
			captured[want] = segs[i]
		case segs[i] == want, a.foldCase && strings.EqualFold(segs[i], want):
		default:
			return nil, false
		}
	}
	out := make([]string, len(a.current))
	for i, s := range a.current {
		if isVar(s) {
			s = captured[s]
		}
		out[i] = s
	}
	return out, true
}

// RewriteAliases serves an older path spelling as its current one.
func RewriteAliases(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		escaped, ok := rewrite(r.URL.EscapedPath())
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		path, err := url.PathUnescape(escaped)
		if err != nil { // cannot happen: the segments came from a valid escaped path
			next.ServeHTTP(w, r)
			return
		}
		r2 := new(http.Request)
		*r2 = *r
		u := *r.URL
		u.Path = path
		if u.RawPath != "" {
			// The caller used escapes; keep them so the mux splits segments where the caller meant.
			u.RawPath = escaped
		}
		r2.URL = &u
		next.ServeHTTP(w, r2)
	})
}
