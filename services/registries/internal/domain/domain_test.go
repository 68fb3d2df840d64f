package domain

import (
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/platform/apierr"
)

var people = Registry{ID: 7, Name: "citizens", Version: "1.0", PrimaryKey: "personalCode", PersonIDField: "personalCode",
	Schema: map[string]any{"type": "object", "properties": map[string]any{
		"personalCode": map[string]any{"type": "string", "primaryKey": true},
		"age":          map[string]any{"type": "integer"},
		"active":       map[string]any{"type": "boolean"},
		"note":         map[string]any{"type": []any{"string", "null"}},
		"score":        map[string]any{"type": []any{"number", "null"}},
	}}}

// wantInvalid asserts err is a 400 naming field (when field is not empty).
func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Kind != apierr.KindInvalidArgument {
		t.Fatalf("want InvalidArgument, got %v", err)
	}
	if field != "" && (len(e.Violations) == 0 || e.Violations[0].Field != field) {
		t.Fatalf("want violation on %q, got %+v", field, e.Violations)
	}
}

func TestNewListQueryPaging(t *testing.T) {
	tests := []struct {
		name             string
		page, size       int
		wantPage, wantSz int
		wantErrField     string
	}{
		{"defaults", 0, 0, 1, 10, ""},
		{"explicit", 3, 25, 3, 25, ""},
		{"capped", 1, 5000, 1, MaxPageSize, ""},
		{"max exactly", 2, 1000, 2, 1000, ""},
		{"negative page", -1, 10, 0, 0, "page"},
		{"negative size", 1, -5, 0, 0, "pageSize"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := NewListQuery(people, ListParams{Page: tc.page, PageSize: tc.size})
			if tc.wantErrField != "" {
				wantInvalid(t, err, tc.wantErrField)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.Page != tc.wantPage || q.PageSize != tc.wantSz {
				t.Errorf("page/size = %d/%d, want %d/%d", q.Page, q.PageSize, tc.wantPage, tc.wantSz)
			}
			if q.Offset() != (tc.wantPage-1)*tc.wantSz {
				t.Errorf("offset = %d", q.Offset())
			}
		})
	}
}

func TestNewListQueryOrderingAndSearch(t *testing.T) {
	tests := []struct {
		name      string
		p         ListParams
		wantOrder Direction
		errField  string
	}{
		{"default ascending", ListParams{}, Ascending, ""},
		{"descending", ListParams{Ordering: "descending", Filter: "age"}, Descending, ""},
		{"desc short, any case", ListParams{Ordering: " DESC "}, Descending, ""},
		{"asc", ListParams{Ordering: "asc"}, Ascending, ""},
		{"bad ordering", ListParams{Ordering: "sideways"}, Ascending, "ordering"},
		{"bad regex", ListParams{Search: "(unclosed"}, Ascending, "search"},
		{"long search", ListParams{Search: strings.Repeat("a", MaxSearchLen+1)}, Ascending, "search"},
		{"regex ok", ListParams{Search: "^jo(hn|e)"}, Ascending, ""},
		{"control char filter", ListParams{Filter: "a\x00b"}, Ascending, "filter"},
		{"a filter the schema lacks", ListParams{Filter: "First name"}, Ascending, "filter"},
		{"search in a field", ListParams{Search: "^1", Filter: "age"}, Ascending, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := NewListQuery(people, tc.p)
			if tc.errField != "" {
				wantInvalid(t, err, tc.errField)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.Order != tc.wantOrder || q.OrderBy != tc.p.Filter || q.Search != tc.p.Search {
				t.Errorf("got %+v", q)
			}
			if tc.p.Search != "" && q.SearchField != tc.p.Filter {
				t.Errorf("search looks in %q, want the filter field %q", q.SearchField, tc.p.Filter)
			}
		})
	}
}

func TestCoerceMatch(t *testing.T) {
	tests := []struct {
		name     string
		query    map[string]string
		want     map[string]any
		errField string
	}{
		{"string", map[string]string{"personalCode": "EE1"}, map[string]any{"personalCode": "EE1"}, ""},
		{"integer", map[string]string{"age": "42"}, map[string]any{"age": 42.0}, ""},
		{"boolean", map[string]string{"active": "true"}, map[string]any{"active": true}, ""},
		{"string or null stays text", map[string]string{"note": "null"}, map[string]any{"note": "null"}, ""},
		{"number or null", map[string]string{"score": "null"}, map[string]any{"score": nil}, ""},
		{"unknown field is text", map[string]string{"nick": "7"}, map[string]any{"nick": "7"}, ""},
		{"not a number", map[string]string{"age": "old"}, nil, "query.age"},
		{"not a boolean", map[string]string{"active": "maybe"}, nil, "query.active"},
		{"empty field name", map[string]string{"": "x"}, nil, "query."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CoerceMatch(people, tc.query)
			if tc.errField != "" {
				wantInvalid(t, err, tc.errField)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s = %#v, want %#v", k, got[k], v)
				}
			}
		})
	}
}

func TestPageLinks(t *testing.T) {
	q, err := NewListQuery(people, ListParams{Page: 2, PageSize: 10, Search: "a b", Query: map[string]string{"age": "3"},
		Ordering: "desc", Filter: "age"})
	if err != nil {
		t.Fatal(err)
	}
	next := q.NextLink("/data/citizens/1.0", 25)
	for _, want := range []string{"/data/citizens/1.0?", "page=3", "pageSize=10", "search=a+b", "query.age=3", "ordering=desc", "filter=age"} {
		if !strings.Contains(next, want) {
			t.Errorf("next %q lacks %q", next, want)
		}
	}
	if prev := q.PreviousLink("/data/citizens/1.0"); !strings.Contains(prev, "page=1") {
		t.Errorf("previous = %q", prev)
	}
	if last := q.NextLink("/data/citizens/1.0", 20); last != "" {
		t.Errorf("next on the last page = %q", last)
	}
	first, _ := NewListQuery(people, ListParams{})
	if prev := first.PreviousLink("/x"); prev != "" {
		t.Errorf("previous on the first page = %q", prev)
	}
}
