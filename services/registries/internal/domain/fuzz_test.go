package domain

import (
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// FuzzParseFieldExt: any input either parses into a field that, with ".json", gives back the input (case of
// the extension aside), or is a 400 — never a panic or another kind of error.
func FuzzParseFieldExt(f *testing.F) {
	for _, s := range []string{"firstName.json", "a.b.json", "x", ".json", "First name.JSON", "\x00.json", "é.json"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		field, ext, err := ParseFieldExt(in)
		if err != nil {
			if apierr.KindOf(err) != apierr.KindInvalidArgument {
				t.Fatalf("ParseFieldExt(%q): %v is not InvalidArgument", in, err)
			}
			return
		}
		if ext != ExtJSON || !strings.EqualFold(in, field+".json") || field == "" {
			t.Fatalf("ParseFieldExt(%q) = %q, %q", in, field, ext)
		}
	})
}

// FuzzNewListQuery: whatever the caller sends, the query is either a 400 or bounded (page >= 1, size in
// 1..MaxPageSize, a search that compiles), and its links never panic.
func FuzzNewListQuery(f *testing.F) {
	f.Add("age", "42", "jo.*", "age", "desc", 1, 10)
	f.Add("note", "x", "(", "", "up", -1, 5000)
	f.Add("", "", "", "a\x00", "", 0, 0)
	f.Fuzz(func(t *testing.T, field, value, search, filter, ordering string, page, size int) {
		q, err := NewListQuery(people, ListParams{Query: map[string]string{field: value}, Search: search,
			Filter: filter, Ordering: ordering, Page: page, PageSize: size})
		if err != nil {
			if apierr.KindOf(err) != apierr.KindInvalidArgument {
				t.Fatalf("%v is not InvalidArgument", err)
			}
			return
		}
		if q.Page < 1 || q.PageSize < 1 || q.PageSize > MaxPageSize || len(q.Search) > MaxSearchLen {
			t.Fatalf("unbounded query %+v", q)
		}
		_ = q.NextLink("/data/x/1", 1<<20)
		_ = q.PreviousLink("/data/x/1")
	})
}
