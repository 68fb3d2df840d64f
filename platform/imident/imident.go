// Package imident carries the Information Mediator client identity INSTANCE/CLASS/MEMBER/SUBSYSTEM
// (ARCHITECTURE.md §5) through HTTP headers, gRPC metadata and contexts.
//
// The identity header names who is calling; it is not proof. The gateway authenticates the caller before it
// forwards the header, so a BB may trust the identity it receives from the gateway.
package imident

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Client identifies an IM member subsystem, e.g. EE/GOV/70000001/registries.
type Client struct{ Instance, Class, Member, Subsystem string }

// HeaderNames are the accepted spellings of the identity header; the first is canonical. GovStack and X-Road
// clients send the others.
var HeaderNames = []string{"X-GovStack-Client", "Information-Mediator-Client", "X-Road-Client"}

// MetadataKey is the gRPC metadata key the identity travels under between services.
const MetadataKey = "x-govstack-client"

// ErrMalformed is wrapped by every error about a present but unusable identity header.
var ErrMalformed = errors.New("malformed client identity")

// maxEcho bounds how much of a bad header goes into an error message, which ends up in responses and logs.
const maxEcho = 200

// Parse reads INSTANCE/CLASS/MEMBER/SUBSYSTEM. Spaces around the value and around each segment are ignored,
// since they are a common copy-paste slip and never part of an identifier.
func Parse(s string) (Client, error) {
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) == 4 {
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		c := Client{Instance: parts[0], Class: parts[1], Member: parts[2], Subsystem: parts[3]}
		if c.Instance != "" && c.Class != "" && c.Member != "" && c.Subsystem != "" {
			return c, nil
		}
	}
	return Client{}, &malformedError{fmt.Sprintf(
		"Information-Mediator-Client header must be INSTANCE/CLASS/MEMBER/SUBSYSTEM (not four non-empty segments): got %s",
		echo(s))}
}

// String returns the header form INSTANCE/CLASS/MEMBER/SUBSYSTEM.
func (c Client) String() string {
	return c.Instance + "/" + c.Class + "/" + c.Member + "/" + c.Subsystem
}

// IsZero reports whether c is the empty identity.
func (c Client) IsZero() bool { return c == Client{} }

type malformedError struct{ msg string }

func (e *malformedError) Error() string { return e.msg }
func (e *malformedError) Unwrap() error { return ErrMalformed }

// echo quotes at most maxEcho characters of s, cutting on a rune boundary.
func echo(s string) string {
	if utf8.RuneCountInString(s) <= maxEcho {
		return fmt.Sprintf("%q", s)
	}
	cut := 0
	for i := 0; i < maxEcho; i++ {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	return fmt.Sprintf("%q… (%d bytes, truncated)", s[:cut], len(s))
}

// FromHTTP reads the identity from any of HeaderNames. present is false when none is sent. Several
// headers (or repeated values) must name the same client, otherwise it is not clear who is calling.
func FromHTTP(h http.Header) (c Client, present bool, err error) {
	var found []sent
	for _, name := range HeaderNames {
		for _, v := range h.Values(name) {
			found = append(found, sent{name, v})
		}
	}
	return resolve(found)
}

type sent struct{ name, value string }

func resolve(found []sent) (Client, bool, error) {
	if len(found) == 0 {
		return Client{}, false, nil
	}
	var first Client
	for i, f := range found {
		c, err := Parse(f.value)
		if err != nil {
			return Client{}, true, err
		}
		if i == 0 {
			first = c
			continue
		}
		if c != first {
			return Client{}, true, &malformedError{fmt.Sprintf(
				"conflicting client identities: %s is %s but %s is %s; send one identity",
				found[0].name, echo(first.String()), f.name, echo(c.String()))}
		}
	}
	return first, true, nil
}

type ctxKey struct{}

// NewContext returns ctx carrying c, for code below the transport layer.
func NewContext(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// FromContext returns the client NewContext stored, if any.
func FromContext(ctx context.Context) (Client, bool) {
	c, ok := ctx.Value(ctxKey{}).(Client)
	return c, ok
}
