package rest

import (
	"bytes"
	"reflect"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Responses are written by protojson and then given the GovStack spellings (ADR 0008): enum values as
// "booked" rather than "APPOINTMENT_STATUS_BOOKED", and times to the second ("2026-12-04T10:00:00Z"), since
// the nanoseconds Postgres and Go keep mean nothing to the people these times are for. Only messages that
// hold an enum or a time somewhere are rewritten; the rest (a registry's records) pass untouched.

// spellResponse rewrites protojson output b of v, a message or (for a response_body that is a repeated
// field) a slice of messages.
func spellResponse(v any, b []byte) []byte {
	md, isList := descriptorOf(v)
	if md == nil || !needsSpelling(md) {
		return b
	}
	n, err := parseJSON(b)
	if err != nil {
		return b // cannot happen for protojson's output; send it as it is
	}
	if isList {
		if n.kind == jArray {
			for _, item := range n.vals {
				spellMessage(item, md)
			}
		}
	} else {
		spellMessage(n, md)
	}
	var out bytes.Buffer
	n.write(&out)
	return out.Bytes()
}

func descriptorOf(v any) (protoreflect.MessageDescriptor, bool) {
	if m, ok := v.(proto.Message); ok {
		return m.ProtoReflect().Descriptor(), false
	}
	rt := reflect.TypeOf(v)
	if rt == nil || rt.Kind() != reflect.Slice {
		return nil, false
	}
	if m, ok := reflect.Zero(rt.Elem()).Interface().(proto.Message); ok {
		return m.ProtoReflect().Descriptor(), true
	}
	return nil, false
}

var spellingCache sync.Map // protoreflect.FullName → bool

// needsSpelling reports whether a message of md can hold an enum or a Timestamp.
func needsSpelling(md protoreflect.MessageDescriptor) bool {
	if v, ok := spellingCache.Load(md.FullName()); ok {
		return v.(bool)
	}
	got := holdsSpelled(md, map[protoreflect.FullName]bool{})
	spellingCache.Store(md.FullName(), got)
	return got
}

func holdsSpelled(md protoreflect.MessageDescriptor, visiting map[protoreflect.FullName]bool) bool {
	if md.FullName() == timestampType {
		return true
	}
	if visiting[md.FullName()] || md.ParentFile().Package() == "google.protobuf" {
		return false
	}
	visiting[md.FullName()] = true
	fields := md.Fields()
	for i := range fields.Len() {
		fd := fields.Get(i)
		if fd.IsMap() {
			fd = fd.MapValue()
		}
		if fd.Enum() != nil && fd.Enum().FullName() != "google.protobuf.NullValue" {
			return true
		}
		if fd.Message() != nil && holdsSpelled(fd.Message(), visiting) {
			return true
		}
	}
	return false
}

func spellMessage(n *jnode, md protoreflect.MessageDescriptor) {
	if md.FullName() == timestampType {
		spellTime(n)
		return
	}
	if n.kind != jObject || md.ParentFile().Package() == "google.protobuf" {
		return
	}
	fields := md.Fields()
	for i, key := range n.keys {
		fd := fields.ByJSONName(key)
		if fd == nil {
			fd = fields.ByTextName(key)
		}
		if fd == nil {
			continue
		}
		v := n.vals[i]
		switch {
		case fd.IsMap():
			if v.kind == jObject {
				for _, mv := range v.vals {
					spellValue(mv, fd.MapValue())
				}
			}
		case fd.IsList():
			if v.kind == jArray {
				for _, item := range v.vals {
					spellValue(item, fd)
				}
			}
		default:
			spellValue(v, fd)
		}
	}
}

func spellValue(n *jnode, fd protoreflect.FieldDescriptor) {
	switch {
	case fd.Enum() != nil && n.kind == jString && fd.Enum().FullName() != "google.protobuf.NullValue":
		if short, ok := enumFromFullName(fd.Enum(), n.text); ok {
			n.text = short
		}
	case fd.Message() != nil:
		spellMessage(n, fd.Message())
	}
}

// spellTime writes a Timestamp to the second.
func spellTime(n *jnode) {
	if n.kind != jString {
		return
	}
	if t, err := time.Parse(time.RFC3339Nano, n.text); err == nil {
		n.text = t.UTC().Truncate(time.Second).Format(time.RFC3339)
	}
}
