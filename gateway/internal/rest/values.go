package rest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govstackbb/marketplace/platform/textcheck"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// The readers below turn one value a client sent — a query parameter, a path segment, a form field or a JSON
// scalar — into what the field expects, or say in plain words what was expected instead. They are shared by
// the query, path and body checks (check.go), so one field answers the same way wherever it is sent.

// scalar is one parsed value of a scalar field, before it becomes a protoreflect.Value or canonical JSON.
type scalar struct {
	kind protoreflect.Kind
	s    string // string kinds, and the text of a float as sent
	b    bool
	i    int64
	u    uint64
	f    float64
	e    protoreflect.EnumNumber
	raw  []byte
}

// maxEcho bounds how much of a rejected value an error message repeats.
const maxEcho = 40

// echoValue quotes a rejected value for a message, shortened and with invalid bytes escaped.
func echoValue(s string) string {
	if utf8.RuneCountInString(s) > maxEcho {
		cut := 0
		for range maxEcho {
			_, n := utf8.DecodeRuneInString(s[cut:])
			cut += n
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}

// intRange gives the bounds of an integer kind for messages and checks.
func intRange(k protoreflect.Kind) (lo int64, hi uint64, unsigned bool) {
	switch k {
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return math.MinInt32, math.MaxInt32, false
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return 0, math.MaxUint32, true
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return 0, math.MaxUint64, true
	default:
		return math.MinInt64, math.MaxInt64, false
	}
}

func isInt(k protoreflect.Kind) bool {
	switch k {
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Uint32Kind, protoreflect.Fixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind,
		protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return true
	}
	return false
}

// parseText reads s as a value of scalar field fd. The problem is "" on success, otherwise a description
// for a field violation ("expected …, got …"); got says what was sent (quoted text, or the JSON value).
func parseText(fd protoreflect.FieldDescriptor, s, got string) (scalar, string) {
	k := fd.Kind()
	v := scalar{kind: k}
	switch {
	case k == protoreflect.StringKind:
		if p := textcheck.Problem(s); p != "" {
			return v, p
		}
		v.s = s
	case k == protoreflect.BoolKind:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return v, "expected true or false, got " + got
		}
		v.b = b
	case isInt(k):
		return parseInt(k, s, got)
	case k == protoreflect.FloatKind || k == protoreflect.DoubleKind:
		bits := 64
		if k == protoreflect.FloatKind {
			bits = 32
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(s), bits)
		if err != nil {
			return v, "expected a number, got " + got
		}
		v.f, v.s = f, strings.TrimSpace(s)
	case k == protoreflect.EnumKind:
		num, ok := parseEnum(fd.Enum(), s)
		if !ok {
			return v, "expected one of " + enumChoices(fd.Enum()) + ", got " + got
		}
		v.e = num
	case k == protoreflect.BytesKind:
		b, ok := decodeBase64(s)
		if !ok {
			return v, "expected base64-encoded bytes, got " + got
		}
		v.raw = b
	default:
		return v, "cannot be given as text"
	}
	return v, ""
}

func parseInt(k protoreflect.Kind, s, got string) (scalar, string) {
	v := scalar{kind: k}
	lo, hi, unsigned := intRange(k)
	// Text that is no number at all is told so plainly; the type's range matters only to a number past it
	// (the endpoint's own bounds, e.g. a limit's 1–1000, are the building block's to check and say).
	want := fmt.Sprintf("expected a whole number from %d to %d, got %s", lo, hi, got)
	t := strings.TrimSpace(s)
	if _, err := strconv.ParseFloat(t, 64); err != nil && !errors.Is(err, strconv.ErrRange) {
		want = "expected a whole number, got " + got
	}
	if unsigned {
		u, err := strconv.ParseUint(t, 10, 64)
		if err != nil {
			f, ok := integralFloat(t)
			if !ok || f < 0 || f > float64(hi) {
				return v, want
			}
			u = uint64(f)
		}
		if u > hi {
			return v, want
		}
		v.u = u
		return v, ""
	}
	i, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		f, ok := integralFloat(t)
		if !ok || f < float64(lo) || f > float64(int64(hi)) {
			return v, want
		}
		i = int64(f)
	}
	if i < lo || i > int64(hi) {
		return v, want
	}
	v.i = i
	return v, ""
}

// integralFloat accepts 1e3 or 42.0 for an integer, as protojson does, when the value is whole.
func integralFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

func decodeBase64(s string) ([]byte, bool) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}

// protoValue turns a parsed scalar into the value SetField takes.
func (v scalar) protoValue() protoreflect.Value {
	switch v.kind {
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(v.s)
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(v.b)
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(v.i))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(v.i)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(v.u))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(v.u)
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(float32(v.f))
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(v.f)
	case protoreflect.EnumKind:
		return protoreflect.ValueOfEnum(v.e)
	default:
		return protoreflect.ValueOfBytes(v.raw)
	}
}

// json writes the scalar as protojson reads it.
func (v scalar) json(fd protoreflect.FieldDescriptor) string {
	switch v.kind {
	case protoreflect.StringKind:
		return quoteJSON(v.s)
	case protoreflect.BoolKind:
		return strconv.FormatBool(v.b)
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		if math.IsNaN(v.f) || math.IsInf(v.f, 0) {
			return quoteJSON(v.s)
		}
		return strconv.FormatFloat(v.f, 'g', -1, 64)
	case protoreflect.EnumKind:
		if ev := fd.Enum().Values().ByNumber(v.e); ev != nil {
			return quoteJSON(string(ev.Name()))
		}
		return strconv.Itoa(int(v.e))
	case protoreflect.BytesKind:
		return quoteJSON(base64.StdEncoding.EncodeToString(v.raw))
	}
	if _, _, unsigned := intRange(v.kind); unsigned {
		return strconv.FormatUint(v.u, 10)
	}
	return strconv.FormatInt(v.i, 10)
}

// Well-known message types that a client writes as one JSON string or one query value.
const (
	timestampType = "google.protobuf.Timestamp"
	durationType  = "google.protobuf.Duration"
)

// isWrapper reports google.protobuf.*Value wrappers, which JSON spells as their inner value.
func isWrapper(md protoreflect.MessageDescriptor) bool {
	return md.ParentFile().Package() == "google.protobuf" && strings.HasSuffix(string(md.Name()), "Value") &&
		md.Name() != "Value" && md.Fields().Len() == 1
}

// textMessage reads s into a fresh message of a well-known type that has a text form.
func textMessage(m protoreflect.Message, s string) string {
	md := m.Descriptor()
	switch {
	case md.FullName() == timestampType:
		t, p := parseTimestamp(s)
		if p != "" {
			return p
		}
		m.Set(md.Fields().ByNumber(1), protoreflect.ValueOfInt64(t.Unix()))
		m.Set(md.Fields().ByNumber(2), protoreflect.ValueOfInt32(int32(t.Nanosecond())))
	case md.FullName() == durationType:
		d, p := parseDuration(s)
		if p != "" {
			return p
		}
		m.Set(md.Fields().ByNumber(1), protoreflect.ValueOfInt64(int64(d/time.Second)))
		m.Set(md.Fields().ByNumber(2), protoreflect.ValueOfInt32(int32(d%time.Second)))
	case isWrapper(md):
		fd := md.Fields().ByNumber(1)
		v, p := parseText(fd, s, echoValue(s))
		if p != "" {
			return p
		}
		m.Set(fd, v.protoValue())
	default:
		return "is an object; it cannot be given as text (send it in the JSON body)"
	}
	return ""
}

// minTime and maxTime are the range a google.protobuf.Timestamp can hold.
var (
	minTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

// What a time or a duration must look like, for messages.
const (
	timestampWant = "expected a date and time in RFC 3339 form with a time zone, e.g. 2026-12-04T10:00:00Z"
	durationWant  = `expected a duration such as "3600s" or "1h30m"`
)

func parseTimestamp(s string) (time.Time, string) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil || t.Before(minTime) || t.After(maxTime) {
		return time.Time{}, timestampWant + ", got " + echoValue(s)
	}
	return t, ""
}

// parseDuration reads protojson's form ("3600s", "1.5s") and Go's ("1h30m").
func parseDuration(s string) (time.Duration, string) {
	t := strings.TrimSpace(s)
	if d, err := time.ParseDuration(t); err == nil {
		return d, ""
	}
	return 0, durationWant + ", got " + echoValue(s)
}

// timestampJSON and durationJSON write the forms protojson reads.
func timestampJSON(t time.Time) string { return quoteJSON(t.UTC().Format(time.RFC3339Nano)) }

func durationJSON(d time.Duration) string {
	return quoteJSON(strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s")
}
