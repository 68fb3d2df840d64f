package rest

import (
	"strconv"
	"strings"
	"sync"
	"unicode"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// Enum values on the REST side are spelled the way the GovStack specs spell them (ADR 0008): the value name
// without the enum's prefix, in lowerCamel — MESSAGE_STATUS_NOT_SENT is "notSent", APPOINTMENT_STATUS_BOOKED
// is "booked", ROLE_BUYER is "buyer". The proto keeps the style guide's prefixed UPPER_SNAKE names; the
// gateway translates in both directions. Input also takes the full name, any case of either, and the number.

// enumNames holds both spellings of one enum's values.
type enumNames struct {
	short  map[protoreflect.EnumNumber]string
	byName map[string]protoreflect.EnumNumber // lower-cased short and full names
	list   []string                           // short names in declaration order, for messages
}

var enumCache sync.Map // protoreflect.FullName → *enumNames

func namesOf(ed protoreflect.EnumDescriptor) *enumNames {
	if n, ok := enumCache.Load(ed.FullName()); ok {
		return n.(*enumNames)
	}
	prefix := upperSnake(string(ed.Name())) + "_"
	n := &enumNames{short: map[protoreflect.EnumNumber]string{}, byName: map[string]protoreflect.EnumNumber{}}
	values := ed.Values()
	for i := range values.Len() {
		v := values.Get(i)
		full := string(v.Name())
		short := lowerCamel(strings.TrimPrefix(full, prefix))
		if _, dup := n.short[v.Number()]; !dup { // an alias (allow_alias) keeps the first name
			n.short[v.Number()] = short
			if v.Number() != 0 {
				n.list = append(n.list, short)
			}
		}
		n.byName[strings.ToLower(full)] = v.Number()
		n.byName[strings.ToLower(short)] = v.Number()
		n.byName[strings.ToLower(strings.TrimPrefix(full, prefix))] = v.Number() // NOT_SENT, not_sent
	}
	enumCache.Store(ed.FullName(), n)
	return n
}

// EnumJSONName is the REST spelling of value number num of ed; the number itself when ed has no such value.
func EnumJSONName(ed protoreflect.EnumDescriptor, num protoreflect.EnumNumber) string {
	if s, ok := namesOf(ed).short[num]; ok {
		return s
	}
	return strconv.Itoa(int(num))
}

// enumFromFullName is EnumJSONName for the full value name protojson writes.
func enumFromFullName(ed protoreflect.EnumDescriptor, full string) (string, bool) {
	v := ed.Values().ByName(protoreflect.Name(full))
	if v == nil {
		return "", false
	}
	return EnumJSONName(ed, v.Number()), true
}

// parseEnum reads a value of ed in any accepted spelling, or its number.
func parseEnum(ed protoreflect.EnumDescriptor, s string) (protoreflect.EnumNumber, bool) {
	if num, ok := namesOf(ed).byName[strings.ToLower(strings.TrimSpace(s))]; ok {
		return num, true
	}
	if i, err := strconv.ParseInt(s, 10, 32); err == nil && ed.Values().ByNumber(protoreflect.EnumNumber(i)) != nil {
		return protoreflect.EnumNumber(i), true
	}
	return 0, false
}

// enumChoices lists the spellings a client may send, for error messages.
func enumChoices(ed protoreflect.EnumDescriptor) string {
	return strings.Join(namesOf(ed).list, ", ")
}

// upperSnake turns a CamelCase type name into UPPER_SNAKE: MessageStatus → MESSAGE_STATUS, HTTPMethod → HTTP_METHOD.
func upperSnake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// lowerCamel turns UPPER_SNAKE into lowerCamel: NOT_SENT → notSent, DELIVERED → delivered.
func lowerCamel(s string) string {
	var b strings.Builder
	for i, part := range strings.Split(strings.ToLower(s), "_") {
		if part == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			part = strings.ToUpper(part[:1]) + part[1:]
		}
		b.WriteString(part)
	}
	return b.String()
}
