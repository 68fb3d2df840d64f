package rest

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Query parameters (and form bodies, which share their rules) are read by our own parser rather than
// grpc-gateway's, whose errors are Go's and protobuf's own words ("strconv.ParseInt: … value out of range",
// "parsing list "file": unsupported message type"). The rules:
//
//   - a parameter names a field by its JSON name or its proto name; a dotted name reaches into a nested
//     message (subscriber.email); M[key]=v and M.key=v set an entry of a map field M (GovStack documents
//     query.<field>=value for ListRecords);
//   - a repeated field takes the parameter once per value;
//   - unknown parameters are ignored (the tolerant reader the GovStack specs imply), as are fields bound
//     by the path or the body;
//   - values are read as values.go says, so a bad one is described in plain words.

// queryParser is grpc-gateway's runtime.QueryParameterParser for the generated handlers. They call it only
// after the check middleware (check.go) has refused anything it would fail on, so its error, which the
// handlers can only turn into a bare InvalidArgument, is a safety net.
type queryParser struct{}

func (queryParser) Parse(msg proto.Message, values url.Values, filter *utilities.DoubleArray) error {
	skip := func(path []string) bool { return filter != nil && filter.HasCommonPrefix(path) }
	if vs := populateQuery(msg.ProtoReflect(), values, skip); len(vs) > 0 {
		return errors.New(violationsMessage(vs))
	}
	return nil
}

// populateQuery sets values on m and returns what it refused; skip reports field paths (proto names) that
// are bound elsewhere.
func populateQuery(m protoreflect.Message, values url.Values, skip func([]string) bool) []violation {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same request gives the same error every time
	q := &queryFill{seen: map[string]string{}}
	for _, k := range keys {
		q.param(m, k, values[k], skip)
	}
	return q.violations
}

type queryFill struct {
	violations []violation
	seen       map[string]string // field path → the parameter that set it
}

func (q *queryFill) bad(param, description string) {
	if len(q.violations) < maxBodyViolations {
		q.violations = append(q.violations, violation{param, description})
	}
}

// param sets one parameter; it is ignored when it names no field.
func (q *queryFill) param(m protoreflect.Message, key string, vals []string, skip func([]string) bool) {
	segs, mapKey, hasKey := splitParam(key)
	cur := m
	var path []string
	for i, seg := range segs {
		fd := fieldByName(cur.Descriptor(), seg)
		if fd == nil {
			return
		}
		path = append(path, string(fd.Name()))
		last := i == len(segs)-1
		if fd.IsMap() && !last && !hasKey { // M.key=v
			mapKey, hasKey, last = strings.Join(segs[i+1:], "."), true, true
		}
		if !last {
			if fd.Message() == nil || fd.IsList() || fd.IsMap() || isWellKnownText(fd.Message()) {
				return // a.b where a has no fields: not ours
			}
			cur = cur.Mutable(fd).Message()
			continue
		}
		if skip(path) {
			return
		}
		id := strings.Join(path, ".")
		if hasKey {
			id += "[" + mapKey + "]"
		}
		if prev, dup := q.seen[id]; dup {
			q.bad(key, "sets the same field as "+strconv.Quote(prev)+"; give it once")
			return
		}
		q.seen[id] = key
		q.set(cur, fd, key, mapKey, hasKey, vals)
		return
	}
}

// splitParam reads "a.b.c", "m[key]" and "a.m[key]".
func splitParam(key string) (segs []string, mapKey string, hasKey bool) {
	if open := strings.IndexByte(key, '['); open > 0 && strings.HasSuffix(key, "]") {
		return strings.Split(key[:open], "."), key[open+1 : len(key)-1], true
	}
	return strings.Split(key, "."), "", false
}

func fieldByName(md protoreflect.MessageDescriptor, name string) protoreflect.FieldDescriptor {
	if fd := md.Fields().ByJSONName(name); fd != nil {
		return fd
	}
	return md.Fields().ByTextName(name)
}

// isWellKnownText reports the message types a single text value can fill.
func isWellKnownText(md protoreflect.MessageDescriptor) bool {
	return md.FullName() == timestampType || md.FullName() == durationType || isWrapper(md)
}

func (q *queryFill) set(m protoreflect.Message, fd protoreflect.FieldDescriptor, key, mapKey string, hasKey bool, vals []string) {
	switch {
	case fd.IsMap():
		if !hasKey {
			q.bad(key, "is a map; give each entry as "+key+"[name]=value")
			return
		}
		if len(vals) > 1 {
			q.bad(key, "was given "+strconv.Itoa(len(vals))+" times; give it once")
			return
		}
		k, p := parseText(fd.MapKey(), mapKey, echoValue(mapKey))
		if p != "" {
			q.bad(key, "key: "+p)
			return
		}
		mp := m.Mutable(fd).Map()
		if v, ok := q.value(fd.MapValue(), key, vals[0], mp.NewValue); ok {
			mp.Set(k.protoValue().MapKey(), v)
		}
	case fd.IsList():
		if md := fd.Message(); md != nil && !isWellKnownText(md) {
			q.bad(key, "is a list of objects; it cannot be given as a query parameter — send it in the JSON body")
			return
		}
		l := m.Mutable(fd).List()
		for _, s := range vals {
			if v, ok := q.value(fd, key, s, l.NewElement); ok {
				l.Append(v)
			}
		}
	default:
		if len(vals) != 1 {
			q.bad(key, "was given "+strconv.Itoa(len(vals))+" times; give it once")
			return
		}
		if v, ok := q.value(fd, key, vals[0], func() protoreflect.Value { return m.NewField(fd) }); ok {
			m.Set(fd, v)
		}
	}
}

// value reads one value of fd (a map value or list element when fd is one); newMessage makes the message a
// well-known type is read into.
func (q *queryFill) value(fd protoreflect.FieldDescriptor, key, s string, newMessage func() protoreflect.Value) (protoreflect.Value, bool) {
	if md := fd.Message(); md != nil {
		if !isWellKnownText(md) {
			q.bad(key, "is an object; give its fields as "+key+".<field>=value")
			return protoreflect.Value{}, false
		}
		v := newMessage()
		if p := textMessage(v.Message(), s); p != "" {
			q.bad(key, p)
			return protoreflect.Value{}, false
		}
		return v, true
	}
	v, p := parseText(fd, s, echoValue(s))
	if p != "" {
		q.bad(key, p)
		return protoreflect.Value{}, false
	}
	return v.protoValue(), true
}

// violationsMessage is the error message of a refused request: the first field and its problem, and how
// many more the details list.
func violationsMessage(vs []violation) string {
	msg := vs[0].field + ": " + vs[0].description
	if n := len(vs) - 1; n > 0 {
		msg += " (and " + strconv.Itoa(n) + " more, listed in details)"
	}
	return msg
}
