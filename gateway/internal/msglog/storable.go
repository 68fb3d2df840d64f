package msglog

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
)

// A record holds what clients sent — a path, a client name, a correlation id — and a client can send bytes
// a Postgres text column refuses (a NUL, bytes that are not UTF-8: curl 'http://…/%00'). One such request
// must not stop the log (issue 12), so such a value is kept Go-quoted: "/\x00" is stored as the nine
// characters "/\x00" in double quotes. No value the IM writes itself starts with a double quote, so a quoted
// value is recognisable and strconv.Unquote gives the client's bytes back.

// storable returns s as it can be stored: itself, or quoted when Postgres could not store it.
func storable(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strconv.QuoteToASCII(s)
}

// makeStorable applies storable to every text field of r that may hold what a client sent.
func (r *Record) makeStorable() {
	for _, f := range []*string{&r.MessageID, &r.Client, &r.Service, &r.Endpoint, &r.Method, &r.Path,
		&r.TraceID, &r.CorrID, &r.Actor, &r.Action, &r.Target, &r.Detail} {
		*f = storable(*f)
	}
	// The path column holds no query string (it may carry personal data); a "?" in a path came escaped
	// (%3F) and is kept escaped.
	r.Path = strings.ReplaceAll(r.Path, "?", "%3F")
}

// permanent reports a write error that may be the record's own fault, so that retrying it cannot cure it:
// Postgres refused the data itself (data exceptions, integrity violations, limits exceeded). Anything else
// — a connection that broke, a server that is starting, a lock time-out, a read-only server, a revoked
// privilege or a missing table (class 42: every value is a bind parameter, so no record causes those) — is
// the log's own trouble: temporary, retried, and the writer is stalled until it passes. A "permanent" error
// is still checked against the log (Writer.setAside), since a trigger or constraint an operator added may
// refuse every record alike.
func permanent(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch pgErr.Code[:2] {
	case "22", "23", "54":
		return true
	}
	return false
}
