// Package textcheck finds text Postgres cannot store — a NUL character or bytes that are not UTF-8 — in
// request messages, so that every building block refuses it at one place with a 400 that names the field
// (ARCHITECTURE.md §8), instead of Postgres answering "invalid byte sequence" deep inside a transaction.
//
// The gateway checks every REST request before it calls a BB, and every BB's gRPC server checks again
// (platform/grpcserver), because a BB may be called over gRPC without the gateway.
package textcheck

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govstackbb/marketplace/platform/apierr"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Reason is the error reason of a request refused for its text (GOVSTACK_<BB>_INVALID_TEXT on the wire).
const Reason = "INVALID_TEXT"

// maxViolations bounds how many fields one error lists; a request full of NULs needs only the first few.
const maxViolations = 20

// Problem says what is wrong with s for Postgres, or "" when s can be stored.
func Problem(s string) string {
	if !utf8.ValidString(s) {
		return "contains bytes that are not valid UTF-8; send text in UTF-8"
	}
	if strings.IndexByte(s, 0) >= 0 {
		return `contains a NUL character (\u0000), which cannot be stored; remove it`
	}
	return ""
}

// Message returns one violation per string of m (set fields, nested messages, lists, map keys and values)
// that Problem refuses. Field paths use the JSON names of the fields — the spelling the GovStack APIs
// use — e.g. subscriber.email, items[2].name, labels[key]; the contents of a google.protobuf.Struct are
// named by their keys (write.content.firstName).
func Message(m proto.Message) []apierr.FieldViolation {
	if m == nil {
		return nil
	}
	var w walker
	w.message(m.ProtoReflect(), "")
	return w.out
}

// Error is the InvalidArgument error for violations (nil when there are none). Its message names the
// first field and says how many more there are.
func Error(violations []apierr.FieldViolation) error {
	if len(violations) == 0 {
		return nil
	}
	msg := violations[0].Field + " " + violations[0].Description
	if n := len(violations) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more field(s), listed in details)", n)
	}
	return apierr.Invalid(Reason, msg, violations...)
}

type walker struct{ out []apierr.FieldViolation }

func (w *walker) full() bool { return len(w.out) >= maxViolations }

func (w *walker) text(path, s string) {
	if p := Problem(s); p != "" && !w.full() {
		w.out = append(w.out, apierr.FieldViolation{Field: path, Description: p})
	}
}

func (w *walker) message(m protoreflect.Message, path string) {
	switch m.Descriptor().FullName() {
	case "google.protobuf.Struct":
		w.structFields(m, path)
		return
	case "google.protobuf.Value":
		w.value(m, path)
		return
	case "google.protobuf.ListValue":
		w.list(m, path)
		return
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		p := join(path, fd.JSONName())
		switch {
		case fd.IsMap():
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				key := k.String()
				kp := p + "[" + key + "]"
				if fd.MapKey().Kind() == protoreflect.StringKind {
					w.text(p+" key", key)
					kp = p + "[" + strconv.Quote(key) + "]"
				}
				w.single(fd.MapValue(), mv, kp)
				return !w.full()
			})
		case fd.IsList():
			l := v.List()
			for i := 0; i < l.Len() && !w.full(); i++ {
				w.single(fd, l.Get(i), p+"["+strconv.Itoa(i)+"]")
			}
		default:
			w.single(fd, v, p)
		}
		return !w.full()
	})
}

func (w *walker) single(fd protoreflect.FieldDescriptor, v protoreflect.Value, path string) {
	switch fd.Kind() {
	case protoreflect.StringKind:
		w.text(path, v.String())
	case protoreflect.MessageKind, protoreflect.GroupKind:
		w.message(v.Message(), path)
	}
}

// structFields walks a google.protobuf.Struct: map<string, Value> fields = 1.
func (w *walker) structFields(m protoreflect.Message, path string) {
	fd := m.Descriptor().Fields().ByNumber(1)
	m.Get(fd).Map().Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
		key := k.String()
		w.text(join(path, "(key)"), key)
		w.value(v.Message(), join(path, key))
		return !w.full()
	})
}

// value walks a google.protobuf.Value: its string, struct or list member.
func (w *walker) value(m protoreflect.Message, path string) {
	od := m.Descriptor().Oneofs().ByName("kind")
	fd := m.WhichOneof(od)
	if fd == nil {
		return
	}
	switch fd.Name() {
	case "string_value":
		w.text(path, m.Get(fd).String())
	case "struct_value":
		w.structFields(m.Get(fd).Message(), path)
	case "list_value":
		w.list(m.Get(fd).Message(), path)
	}
}

// list walks a google.protobuf.ListValue: repeated Value values = 1.
func (w *walker) list(m protoreflect.Message, path string) {
	l := m.Get(m.Descriptor().Fields().ByNumber(1)).List()
	for i := 0; i < l.Len() && !w.full(); i++ {
		w.value(l.Get(i).Message(), path+"["+strconv.Itoa(i)+"]")
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
