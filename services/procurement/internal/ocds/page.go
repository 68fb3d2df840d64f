package ocds

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Paging of /ocds/releasePackages and /ocds/recordPackages: oldest first, filtered by date, keyset
// paged on (date, id) so a page never skips or repeats a release when new ones are appended.

// Query parameters the OCDS endpoints accept.
const (
	ParamSince  = "since"  // releases dated at or after (RFC 3339 date-time, or a date)
	ParamUntil  = "until"  // releases dated before
	ParamLimit  = "limit"  // page size
	ParamCursor = "cursor" // opaque, from links.next
)

// PageQuery selects one page of releases.
type PageQuery struct {
	Since, Until time.Time // zero: unbounded
	After        *Cursor   // nil: the first page
	Limit        int
}

// Cursor is the position after the last release of a page.
type Cursor struct {
	Date time.Time
	ID   string
}

// String encodes the cursor for a URL.
func (c Cursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.Date.UTC().Format(time.RFC3339Nano) + " " + c.ID))
}

// ParseCursor decodes Cursor.String.
func ParseCursor(s string) (Cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, fmt.Errorf("%s: not a cursor from links.next", ParamCursor)
	}
	date, id, ok := strings.Cut(string(raw), " ")
	t, err := time.Parse(time.RFC3339Nano, date)
	if !ok || err != nil || id == "" {
		return Cursor{}, fmt.Errorf("%s: not a cursor from links.next", ParamCursor)
	}
	return Cursor{Date: t, ID: id}, nil
}

// ParsePageQuery reads since, until, limit and cursor; errors name the parameter and what to send.
func ParsePageQuery(q url.Values, defaultLimit, maxLimit int) (PageQuery, error) {
	out := PageQuery{Limit: defaultLimit}
	var err error
	if out.Since, err = parseDateParam(q, ParamSince); err != nil {
		return PageQuery{}, err
	}
	if out.Until, err = parseDateParam(q, ParamUntil); err != nil {
		return PageQuery{}, err
	}
	if !out.Since.IsZero() && !out.Until.IsZero() && !out.Since.Before(out.Until) {
		return PageQuery{}, fmt.Errorf("%s must be before %s", ParamSince, ParamUntil)
	}
	if s := q.Get(ParamLimit); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			return PageQuery{}, fmt.Errorf("%s: want a whole number from 1 to %d, got %q", ParamLimit, maxLimit, s)
		}
		out.Limit = n
	}
	if s := q.Get(ParamCursor); s != "" {
		c, err := ParseCursor(s)
		if err != nil {
			return PageQuery{}, err
		}
		out.After = &c
	}
	return out, nil
}

func parseDateParam(q url.Values, name string) (time.Time, error) {
	s := q.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%s: want an RFC 3339 date-time (2026-01-31T09:00:00Z) or a date (2026-01-31), got %q", name, s)
}

// Includes tells whether a release dated date with id belongs to the query's range, after its cursor.
// A store translates the same condition to SQL; PageReleases applies it in memory.
func (p PageQuery) Includes(date time.Time, id string) bool {
	if !p.Since.IsZero() && date.Before(p.Since) || !p.Until.IsZero() && !date.Before(p.Until) {
		return false
	}
	return p.After == nil || date.After(p.After.Date) || date.Equal(p.After.Date) && id > p.After.ID
}

// PageReleases returns the page of releases the query selects, oldest first, and the cursor of the next
// page (nil on the last page).
func PageReleases(releases []Release, p PageQuery) ([]Release, *Cursor) {
	var page []Release
	for _, r := range releases {
		if p.Includes(r.Date, r.ID) {
			page = append(page, r)
		}
	}
	sort.SliceStable(page, func(i, j int) bool {
		if !page[i].Date.Equal(page[j].Date) {
			return page[i].Date.Before(page[j].Date)
		}
		return page[i].ID < page[j].ID
	})
	if len(page) <= p.Limit {
		return page, nil
	}
	page = page[:p.Limit]
	last := page[len(page)-1]
	return page, &Cursor{Date: last.Date, ID: last.ID}
}

// NextLinks builds links.next from the request URL and the next cursor, keeping the other parameters.
func NextLinks(requestURL *url.URL, next *Cursor) *Links {
	if next == nil {
		return nil
	}
	u := *requestURL
	q := u.Query()
	q.Set(ParamCursor, next.String())
	u.RawQuery = q.Encode()
	return &Links{Next: u.String()}
}
