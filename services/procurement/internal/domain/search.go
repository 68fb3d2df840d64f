package domain

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Page sizes of the lists that page (GET /tenders, GET /bids).
const (
	DefaultPageSize = 50
	MaxTenderPage   = 500
	// MaxBidPage is smaller: a bid carries its proposal (up to 20000 characters) once opened.
	MaxBidPage = 100
	maxQuery   = 200
	maxWords   = 10
)

// TenderStatuses are every status a tender can be in.
var TenderStatuses = []string{StatusDraft, StatusActive, StatusEvaluation, StatusAwarded, StatusContracted,
	StatusComplete, StatusCancelled, StatusUnsuccessful}

// cpvPrefixPattern is what a CPV filter may be: a prefix of a code's digits (two digits are its division),
// or a whole code with its check digit.
var cpvPrefixPattern = regexp.MustCompile(`^([0-9]{2,8}|[0-9]{8}-[0-9])$`)

// TenderQuery selects one page of tenders, newest first.
type TenderQuery struct {
	Status string
	// Words must each start a word of the title or description (case-insensitive); letters and digits only,
	// so they are safe to put in a full-text query.
	Words []string
	// CPV is a prefix of an item's CPV code; "" for any.
	CPV string
	// BuyerOrg is the one buyer organisation whose tenders are listed; "" for every one.
	BuyerOrg string
	// Before is the id of the last tender of the previous page; "" for the first page.
	Before string
	Limit  int
}

// NewTenderQuery checks GET /tenders' parameters, naming each bad one.
func NewTenderQuery(status, q, cpv, buyerOrg, before string, limit int) (TenderQuery, error) {
	out := TenderQuery{Status: strings.TrimSpace(status), CPV: strings.TrimSpace(cpv), BuyerOrg: strings.TrimSpace(buyerOrg),
		Before: strings.TrimSpace(before)}
	var v []apierr.FieldViolation
	if utf8.RuneCountInString(out.BuyerOrg) > maxQuery {
		v = append(v, field("buyerOrganisation", "at most %d characters", maxQuery))
	}
	if out.Status != "" && !slices.Contains(TenderStatuses, out.Status) {
		v = append(v, field("status", "%q is not a tender status: one of %s", out.Status, strings.Join(TenderStatuses, ", ")))
	}
	words, bad := searchWords(q)
	if bad != nil {
		v = append(v, *bad)
	}
	out.Words = words
	if out.CPV != "" && !cpvPrefixPattern.MatchString(out.CPV) {
		v = append(v, field("cpv", "%q is not the start of a CPV code: 2 to 8 digits (e.g. 3242), or a whole code such as 32420000-3", out.CPV))
	}
	v = append(v, checkBefore(out.Before, "tender")...)
	var lv []apierr.FieldViolation
	out.Limit, lv = pageSize(limit, MaxTenderPage)
	v = append(v, lv...)
	if len(v) > 0 {
		return TenderQuery{}, invalid("the tender search is not readable: see details", v)
	}
	return out, nil
}

// searchWords splits q into its words: runs of letters and digits (punctuation and spaces separate them).
func searchWords(q string) ([]string, *apierr.FieldViolation) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	if utf8.RuneCountInString(q) > maxQuery {
		f := field("q", "at most %d characters", maxQuery)
		return nil, &f
	}
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	switch {
	case len(words) == 0:
		f := field("q", "%q has no word to search for: send letters or digits", q)
		return nil, &f
	case len(words) > maxWords:
		f := field("q", "at most %d words", maxWords)
		return nil, &f
	}
	return words, nil
}

// BidQuery selects one page of a supplier's own bids, newest first.
type BidQuery struct {
	// Before is the id of the last bid of the previous page; "" for the first page.
	Before string
	Limit  int
}

// NewBidQuery checks GET /bids' parameters, naming each bad one.
func NewBidQuery(before string, limit int) (BidQuery, error) {
	out := BidQuery{Before: strings.TrimSpace(before)}
	v := checkBefore(out.Before, "bid")
	var lv []apierr.FieldViolation
	out.Limit, lv = pageSize(limit, MaxBidPage)
	if v = append(v, lv...); len(v) > 0 {
		return BidQuery{}, invalid("the bid list's parameters are not readable: see details", v)
	}
	return out, nil
}

// checkBefore checks a keyset position is an id of the kind listed (ids are UUIDs).
func checkBefore(before, what string) []apierr.FieldViolation {
	if before == "" {
		return nil
	}
	if _, err := uuid.Parse(before); err != nil || len(before) != 36 {
		return []apierr.FieldViolation{field("before", "%q is not a %s id: send the id of the last %s of the previous page", before, what, what)}
	}
	return nil
}

// BeforeUnknown is the answer when before is well formed but names nothing the caller may list.
func BeforeUnknown(what string) error {
	return invalid("before names no "+what+" of this list", []apierr.FieldViolation{
		field("before", "not the id of a %s in this list: send the id of the last %s of the previous page", what, what)})
}

// pageSize reads a page size: 0 is the default.
func pageSize(limit, max int) (int, []apierr.FieldViolation) {
	switch {
	case limit == 0:
		return DefaultPageSize, nil
	case limit < 0 || limit > max:
		return 0, []apierr.FieldViolation{field("limit", "%d is out of range: 1 to %d", limit, max)}
	}
	return limit, nil
}
