package domain

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Paging bounds of the list API.
const (
	DefaultPage     = 1
	DefaultPageSize = 10
	MaxPageSize     = 1000
	// MaxSearchLen bounds the search pattern: it runs as a regular expression in Postgres.
	MaxSearchLen = 200
)

// Direction is the sort direction of a list.
type Direction int

// Directions of a list ordering.
const (
	Ascending Direction = iota
	Descending
)

// ListParams is a list request as the caller sent it.
type ListParams struct {
	Query    map[string]string // query.<field>=value
	Search   string
	Filter   string // GovStack: "Field name that user wishes to filter": search looks in it, and the list is ordered by it
	Ordering string // ascending|descending|asc|desc
	Page     int
	PageSize int
}

// ListQuery is a validated list request: exact matches typed after the schema, a search pattern already
// known to compile, an order field and bounded paging.
type ListQuery struct {
	Match  map[string]any
	Search string
	// SearchField is the field search looks in (GovStack's filter); "" searches the whole record.
	SearchField string
	OrderBy     string // "" orders by creation time
	Order       Direction
	Page        int
	PageSize    int
	params      ListParams
}

// Offset is the number of records before the current page.
func (q ListQuery) Offset() int { return (q.Page - 1) * q.PageSize }

// NewListQuery validates p against registry r. Values of query.<field> arrive as text; they are converted to
// the type the schema declares for the field (number, integer, boolean), so that "age=42" finds the number 42.
func NewListQuery(r Registry, p ListParams) (ListQuery, error) {
	q := ListQuery{Search: p.Search, OrderBy: p.Filter, Page: p.Page, PageSize: p.PageSize, params: p}
	var err error
	if q.Match, err = CoerceMatch(r, p.Query); err != nil {
		return ListQuery{}, err
	}
	if err := ValidateSearch(p.Search); err != nil {
		return ListQuery{}, err
	}
	if q.OrderBy != "" {
		if err := validateFilter(r, q.OrderBy); err != nil {
			return ListQuery{}, err
		}
		if q.Search != "" {
			q.SearchField = q.OrderBy
		}
	}
	if q.Order, err = ParseOrdering(p.Ordering); err != nil {
		return ListQuery{}, err
	}
	if q.Page, q.PageSize, err = pageBounds(p.Page, p.PageSize); err != nil {
		return ListQuery{}, err
	}
	return q, nil
}

// validateFilter accepts a top-level field of the registry's schema (any field name when the schema lists
// none), so that a misspelt filter is told apart from a search that finds nothing.
func validateFilter(r Registry, field string) error {
	if err := ValidateFieldName("filter", field); err != nil {
		return err
	}
	props := r.Properties()
	if len(props) == 0 {
		return nil
	}
	if _, ok := props[field]; ok {
		return nil
	}
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	slices.Sort(names)
	return invalidField(ReasonInvalidQuery, "filter", fmt.Sprintf("%s %s has no field %q; its fields are %s",
		r.Name, r.Version, field, strings.Join(names, ", ")))
}

// ParseOrdering reads GovStack's ordering parameter; empty means ascending.
func ParseOrdering(s string) (Direction, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "asc", "ascending":
		return Ascending, nil
	case "desc", "descending":
		return Descending, nil
	}
	return Ascending, invalidField(ReasonInvalidQuery, "ordering", `must be "ascending" or "descending"`)
}

// pageBounds applies the defaults (page 1, 10 per page) and caps the page size at MaxPageSize; a negative
// page or size is a mistake worth telling the caller about rather than silently fixing.
func pageBounds(page, size int) (int, int, error) {
	if page < 0 {
		return 0, 0, invalidField(ReasonInvalidQuery, "page", "must be 1 or more")
	}
	if size < 0 {
		return 0, 0, invalidField(ReasonInvalidQuery, "pageSize", "must be 1 or more")
	}
	if page == 0 {
		page = DefaultPage
	}
	if size == 0 {
		size = DefaultPageSize
	}
	return page, min(size, MaxPageSize), nil
}

// ValidateSearch refuses patterns Postgres would reject or that are too long to be a sensible search. Go's
// regexp syntax is close to Postgres's for what people type; what slips through is caught by the store.
func ValidateSearch(s string) error {
	if len(s) > MaxSearchLen {
		return invalidField(ReasonInvalidSearch, "search", "must be at most 200 characters")
	}
	if _, err := regexp.Compile(s); err != nil {
		return invalidField(ReasonInvalidSearch, "search", "not a valid regular expression: "+err.Error())
	}
	return nil
}

// CoerceMatch turns query.<field>=text pairs into a JSON containment object, typed after r's schema.
func CoerceMatch(r Registry, query map[string]string) (map[string]any, error) {
	if len(query) == 0 {
		return nil, nil
	}
	props := r.Properties()
	match := make(map[string]any, len(query))
	for field, text := range query {
		param := "query." + field
		if err := ValidateFieldName(param, field); err != nil {
			return nil, err
		}
		def, _ := props[field].(map[string]any)
		v, err := coerce(text, schemaTypes(def))
		if err != nil {
			return nil, invalidField(ReasonInvalidQuery, param, err.Error())
		}
		match[field] = v
	}
	return match, nil
}

func schemaTypes(def map[string]any) []string {
	switch t := def["type"].(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, v := range t {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// coerce converts text to the first type it fits; a field without a declared string type that the text
// does not fit is an error, so a typo does not silently match nothing.
func coerce(text string, types []string) (any, error) {
	if len(types) == 0 || slices.Contains(types, "string") {
		return text, nil
	}
	for _, t := range types {
		switch t {
		case "number", "integer":
			if f, err := strconv.ParseFloat(text, 64); err == nil {
				return f, nil
			}
		case "boolean":
			if b, err := strconv.ParseBool(text); err == nil {
				return b, nil
			}
		case "null":
			if text == "null" {
				return nil, nil
			}
		}
	}
	return nil, errors.New("must be a " + strings.Join(types, " or "))
}

// NextLink returns the relative URL of the page after q under path (e.g. /data/citizens/1.0), carrying the
// caller's parameters, or "" when q is the last page of total records.
func (q ListQuery) NextLink(path string, total int) string {
	if q.Page*q.PageSize >= total {
		return ""
	}
	return q.pageLink(path, q.Page+1)
}

// PreviousLink returns the relative URL of the page before q, or "" on the first page.
func (q ListQuery) PreviousLink(path string) string {
	if q.Page <= 1 {
		return ""
	}
	return q.pageLink(path, q.Page-1)
}

func (q ListQuery) pageLink(path string, page int) string {
	v := url.Values{}
	for field, value := range q.params.Query {
		v.Set("query."+field, value)
	}
	setIf(v, "search", q.params.Search)
	setIf(v, "filter", q.params.Filter)
	setIf(v, "ordering", q.params.Ordering)
	v.Set("page", strconv.Itoa(page))
	v.Set("pageSize", strconv.Itoa(q.PageSize))
	return path + "?" + v.Encode()
}

func setIf(v url.Values, key, value string) {
	if value != "" {
		v.Set(key, value)
	}
}

// Selector picks records whose content contains every field of Match. Key is the primary key when Match
// names one (as a string or whole number), so the store can use its primary key index: reading a record
// by its id is the most common query and must not depend on the content index.
type Selector struct {
	Match map[string]any
	Key   string
}

// NewSelector returns the selector of match in registry r.
func NewSelector(r Registry, match map[string]any) Selector {
	key, _ := scalarText(match[r.PrimaryKey])
	return Selector{Match: match, Key: key}
}
