package domain

import (
	"strconv"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Paging limits of the list endpoints.
const (
	DefaultMaxResult = 50
	MaxMaxResult     = 500
)

// Page is a validated firstResult/maxResult/sortBy/sortOrder query.
type Page struct {
	Offset, Limit int
	SortBy        string // "created" or "registered"
	Desc          bool
}

// ParsePage checks the paging and sorting parameters of a list call; every bad one is named.
func ParsePage(first, maxResult int32, sortBy, sortOrder string) (Page, error) {
	p := Page{Offset: int(first), Limit: int(maxResult), SortBy: "created", Desc: true}
	var bad []apierr.FieldViolation
	if first < 0 {
		bad = append(bad, apierr.FieldViolation{Field: "firstResult", Description: "must be 0 or more"})
	}
	switch {
	case maxResult == 0:
		p.Limit = DefaultMaxResult
	case maxResult < 1 || maxResult > MaxMaxResult:
		bad = append(bad, apierr.FieldViolation{Field: "maxResult",
			Description: "must be between 1 and " + strconv.Itoa(MaxMaxResult) + "; got " + strconv.Itoa(int(maxResult))})
	}
	switch s := strings.ToLower(sortBy); s {
	case "", "created":
	case "registered":
		p.SortBy = s
	default:
		bad = append(bad, apierr.FieldViolation{Field: "sortBy", Description: "must be created or registered; got " + quote(sortBy)})
	}
	switch strings.ToLower(sortOrder) {
	case "", "desc":
	case "asc":
		p.Desc = false
	default:
		bad = append(bad, apierr.FieldViolation{Field: "sortOrder", Description: "must be asc or desc; got " + quote(sortOrder)})
	}
	if len(bad) > 0 {
		return Page{}, apierr.Invalid("INVALID_PAGING", "fix the paging and sorting parameters", bad...)
	}
	return p, nil
}
