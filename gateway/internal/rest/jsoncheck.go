package rest

import (
	"bytes"
	"strconv"

	"github.com/govstackbb/marketplace/platform/textcheck"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// checkBody reads a JSON request body the way the GovStack schemas imply (a tolerant reader) and reports,
// in the client's own field names, everything protojson would refuse with its own wording:
//
//   - unknown fields are dropped, not refused; null means "not given";
//   - a value of the wrong JSON type, an integer out of range, an enum value that does not exist, a date
//     that is not RFC 3339, text Postgres cannot store: one violation each, naming the field, what was sent
//     and what is expected;
//   - enum values may be sent in the GovStack spelling ("booked"), the full proto name, or as numbers.
//
// The result is the body rewritten as protojson reads it without error (known fields only, canonical enum
// names and times); it is meaningful only when there are no violations.
func checkBody(n *jnode, md protoreflect.MessageDescriptor) ([]byte, []violation) {
	c := &bodyChecker{}
	c.message(n, md, "")
	return c.out.Bytes(), c.violations
}

// checkListBody reads a body that is a JSON list of md messages (a repeated body field), each item as
// checkBody reads an object; violations name the item ("[3].amount").
func checkListBody(n *jnode, md protoreflect.MessageDescriptor) ([]byte, []violation) {
	c := &bodyChecker{}
	if n.kind != jArray {
		c.bad("", "expected a list (a JSON array), got "+n.describe())
		return nil, c.violations
	}
	c.out.WriteByte('[')
	for i, item := range n.vals {
		if i > 0 {
			c.out.WriteByte(',')
		}
		c.message(item, md, itemPath("", i))
	}
	c.out.WriteByte(']')
	return c.out.Bytes(), c.violations
}

// violation is one field a client must fix.
type violation struct{ field, description string }

// maxBodyViolations bounds one answer's list; the first few are enough to fix a request.
const maxBodyViolations = 20

type bodyChecker struct {
	out        bytes.Buffer
	violations []violation
}

func (c *bodyChecker) bad(path, description string) {
	if path == "" {
		path = "(body)"
	}
	if len(c.violations) < maxBodyViolations {
		c.violations = append(c.violations, violation{path, description})
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func itemPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// message checks an object against md (a well-known type has its own JSON form).
func (c *bodyChecker) message(n *jnode, md protoreflect.MessageDescriptor, path string) {
	if md.ParentFile().Package() == "google.protobuf" {
		c.wellKnown(n, md, path)
		return
	}
	if n.kind != jObject {
		c.bad(path, "expected an object, got "+n.describe())
		c.out.WriteString("{}")
		return
	}
	fields := md.Fields()
	seen := map[protoreflect.FieldNumber]string{}
	oneofs := map[protoreflect.FullName]string{}
	c.out.WriteByte('{')
	first := true
	for i, key := range n.keys {
		fd := fields.ByJSONName(key)
		if fd == nil {
			fd = fields.ByTextName(key)
		}
		v := n.vals[i]
		if fd == nil || (v.kind == jNull && !acceptsNull(fd)) {
			continue // tolerant reader: unknown fields are ignored; null is "not given"
		}
		p := joinPath(path, key)
		if n.keyBad[i] {
			c.bad(p, textcheck.Problem("\xff"))
			continue
		}
		if prev, dup := seen[fd.Number()]; dup {
			c.bad(p, "is given twice (as "+strconv.Quote(prev)+" and "+strconv.Quote(key)+"); give it once")
			continue
		}
		seen[fd.Number()] = key
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() {
			if prev, set := oneofs[od.FullName()]; set {
				c.bad(p, "cannot be given together with "+strconv.Quote(prev)+"; give only one of them")
				continue
			}
			oneofs[od.FullName()] = key
		}
		if !first {
			c.out.WriteByte(',')
		}
		first = false
		c.out.WriteString(quoteJSON(fd.JSONName()))
		c.out.WriteByte(':')
		c.field(v, fd, p)
	}
	c.out.WriteByte('}')
}

// acceptsNull: google.protobuf.Value and NullValue fields take null as a value; every other field reads
// null as "not given".
func acceptsNull(fd protoreflect.FieldDescriptor) bool {
	if fd.IsList() || fd.IsMap() {
		return false
	}
	if md := fd.Message(); md != nil {
		return isValue(md)
	}
	return fd.Enum() != nil && fd.Enum().FullName() == "google.protobuf.NullValue"
}

// isValue reports google.protobuf.Value, the one message JSON null is a value of.
func isValue(md protoreflect.MessageDescriptor) bool {
	return md != nil && md.FullName() == "google.protobuf.Value"
}

func (c *bodyChecker) field(n *jnode, fd protoreflect.FieldDescriptor, path string) {
	switch {
	case fd.IsMap():
		c.mapField(n, fd, path)
	case fd.IsList():
		if n.kind != jArray {
			c.bad(path, "expected a list (a JSON array), got "+n.describe())
			c.out.WriteString("[]")
			return
		}
		c.out.WriteByte('[')
		for i, item := range n.vals {
			if i > 0 {
				c.out.WriteByte(',')
			}
			if item.kind == jNull && !isValue(fd.Message()) {
				c.bad(itemPath(path, i), "must not be null")
				c.out.WriteString("null")
				continue
			}
			c.single(item, fd, itemPath(path, i))
		}
		c.out.WriteByte(']')
	default:
		c.single(n, fd, path)
	}
}

func (c *bodyChecker) mapField(n *jnode, fd protoreflect.FieldDescriptor, path string) {
	if n.kind != jObject {
		c.bad(path, "expected an object, got "+n.describe())
		c.out.WriteString("{}")
		return
	}
	kd, vd := fd.MapKey(), fd.MapValue()
	c.out.WriteByte('{')
	for i, key := range n.keys {
		p := joinPath(path, key)
		if i > 0 {
			c.out.WriteByte(',')
		}
		k, problem := parseText(kd, key, echoValue(key))
		if n.keyBad[i] {
			problem = textcheck.Problem("\xff")
		}
		if problem != "" {
			c.bad(path, "key "+echoValue(key)+": "+problem)
		}
		if kd.Kind() == protoreflect.StringKind {
			c.out.WriteString(quoteJSON(key))
		} else {
			c.out.WriteString(quoteJSON(stripQuotes(k.json(kd))))
		}
		c.out.WriteByte(':')
		v := n.vals[i]
		if v.kind == jNull && !isValue(vd.Message()) {
			c.bad(p, "must not be null")
			c.out.WriteString("null")
			continue
		}
		c.single(v, vd, p)
	}
	c.out.WriteByte('}')
}

func stripQuotes(s string) string {
	if len(s) >= 2 && s[0] == '"' {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
	}
	return s
}

// single checks one value of fd (not a list or map as a whole).
func (c *bodyChecker) single(n *jnode, fd protoreflect.FieldDescriptor, path string) {
	if md := fd.Message(); md != nil {
		c.message(n, md, path)
		return
	}
	text, problem := scalarText(n, fd)
	if problem == "" {
		var v scalar
		got := n.describe()
		if n.kind == jString {
			got = echoValue(n.text)
		}
		if v, problem = parseText(fd, text, got); problem == "" {
			c.out.WriteString(v.json(fd))
			return
		}
	}
	c.bad(path, problem)
	c.out.WriteString("null")
}

// scalarText takes the text of a JSON scalar for a scalar field, refusing JSON types protojson refuses.
func scalarText(n *jnode, fd protoreflect.FieldDescriptor) (string, string) {
	k := fd.Kind()
	switch {
	case n.kind == jString && n.badUTF8:
		return "", textcheck.Problem("\xff")
	case k == protoreflect.StringKind:
		if n.kind == jNumber && isDecimal(fd) {
			return n.text, "" // an amount GovStack writes as a JSON number, read as written (no float)
		}
		if n.kind != jString {
			return "", "expected a string, got " + n.describe()
		}
	case k == protoreflect.BoolKind:
		if n.kind == jBool {
			return strconv.FormatBool(n.b), ""
		}
		if n.kind != jString {
			return "", "expected true or false, got " + n.describe()
		}
	case k == protoreflect.BytesKind:
		if n.kind != jString {
			return "", "expected base64-encoded bytes in a string, got " + n.describe()
		}
	case k == protoreflect.EnumKind:
		if n.kind != jString && n.kind != jNumber {
			return "", "expected one of " + enumChoices(fd.Enum()) + ", got " + n.describe()
		}
	default: // numbers: protojson takes them as JSON numbers or strings
		if n.kind != jNumber && n.kind != jString {
			if isInt(k) {
				lo, hi, _ := intRange(k)
				return "", "expected a whole number from " + strconv.FormatInt(lo, 10) + " to " +
					strconv.FormatUint(hi, 10) + ", got " + n.describe()
			}
			return "", "expected a number, got " + n.describe()
		}
	}
	return n.text, ""
}

// wellKnown checks the google.protobuf types that have a JSON form of their own.
func (c *bodyChecker) wellKnown(n *jnode, md protoreflect.MessageDescriptor, path string) {
	switch name := md.FullName(); {
	case name == timestampType:
		if n.kind == jString && !n.badUTF8 {
			if t, p := parseTimestamp(n.text); p == "" {
				c.out.WriteString(timestampJSON(t))
				return
			}
		}
		c.bad(path, timestampWant+", got "+n.describe())
	case name == durationType:
		if n.kind == jString && !n.badUTF8 {
			if d, p := parseDuration(n.text); p == "" {
				c.out.WriteString(durationJSON(d))
				return
			}
		}
		c.bad(path, durationWant+", got "+n.describe())
	case isWrapper(md):
		c.single(n, md.Fields().ByNumber(1), path)
		return
	case name == "google.protobuf.Struct" && n.kind != jObject:
		c.bad(path, "expected an object, got "+n.describe())
	case name == "google.protobuf.ListValue" && n.kind != jArray:
		c.bad(path, "expected a list (a JSON array), got "+n.describe())
	default: // Struct, Value, ListValue, Any, FieldMask, Empty: protojson reads them; only their text is ours
		c.freeText(n, path)
		n.write(&c.out)
		return
	}
	c.out.WriteString("null")
}

// freeText checks every string and key inside free-form JSON (a registry record's content) for text Postgres
// cannot store; such content is stored as jsonb, which refuses \u0000 as well.
func (c *bodyChecker) freeText(n *jnode, path string) {
	switch n.kind {
	case jString:
		if n.badUTF8 {
			c.bad(path, textcheck.Problem("\xff"))
		} else if p := textcheck.Problem(n.text); p != "" {
			c.bad(path, p)
		}
	case jObject:
		for i, k := range n.keys {
			p := joinPath(path, k)
			if n.keyBad[i] {
				c.bad(joinPath(path, "(key)"), textcheck.Problem("\xff"))
			} else if prob := textcheck.Problem(k); prob != "" {
				c.bad(joinPath(path, "(key)"), "a field name "+prob)
			}
			c.freeText(n.vals[i], p)
		}
	case jArray:
		for i, v := range n.vals {
			c.freeText(v, itemPath(path, i))
		}
	}
}
