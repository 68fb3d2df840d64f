package domain

import (
	"encoding/json"
	"strings"
	"testing"
)

// pointerSeeds are event payloads and JSON pointers as the shipped rules use them, and the awkward cases of
// RFC 6901: escapes (~0, ~1 and their order), array indices, empty keys, no leading slash.
var pointerSeeds = []struct{ doc, pointer string }{
	{`{"subscriber":{"email":"s@x.org","phone":"+3725551234"}}`, "/subscriber/email"},
	{`{"recipients":[{"email":"a@x.org"},{"phone":"+100000000"}]}`, "/recipients/1/phone"},
	{`{"a/b":{"~c":"t@x.org"}}`, "/a~1b/~0c"},
	{`{"~1":"literal"}`, "/~01"},
	{`{"":{"":"empty keys"}}`, "//"},
	{`["x","y"]`, "/01"},
	{`["x","y"]`, "/-1"},
	{`{"k":null}`, "/k/deeper"},
	{`{"approved":false,"count":3,"ratio":2.5}`, "approved"},
	{`"just a string"`, ""},
}

// FuzzLookup: whatever the payload and the pointer, Lookup and Recipients do not panic; a pointer must start
// with "/" (or be empty: the whole document); every member of an object is found by its escaped name; and
// Recipients returns no blank address.
func FuzzLookup(f *testing.F) {
	for _, s := range pointerSeeds {
		f.Add(s.doc, s.pointer)
	}
	f.Fuzz(func(t *testing.T, doc, pointer string) {
		var v any
		if json.Unmarshal([]byte(doc), &v) != nil {
			return
		}
		got, ok := Lookup(v, pointer)
		switch {
		case pointer == "" && (!ok || !sameJSON(got, v)):
			t.Fatalf("the empty pointer is the whole document, got %v %v", got, ok)
		case pointer != "" && !strings.HasPrefix(pointer, "/") && ok:
			t.Fatalf("%q has no leading slash but resolved to %v", pointer, got)
		}
		if obj, isObj := v.(map[string]any); isObj {
			for key, member := range obj {
				if found, ok := Lookup(v, "/"+escapePointer(key)); !ok || !sameJSON(found, member) {
					t.Fatalf("member %q not found by its pointer: %v %v", key, found, ok)
				}
			}
		}
		for _, c := range []Channel{Email, SMS} {
			for _, a := range Recipients(v, pointer, c) {
				if strings.TrimSpace(a) == "" {
					t.Fatalf("blank recipient from %q", pointer)
				}
			}
		}
	})
}

// FuzzConditionMatches: a rule condition never panics, a present value matches at most one condition value
// (and a string matches exactly itself), an object or array matches none, a missing field matches exactly
// protojson's defaults, and a rule without a condition always applies.
func FuzzConditionMatches(f *testing.F) {
	for _, s := range pointerSeeds {
		f.Add(s.doc, s.pointer, "true")
	}
	f.Add(`{"kind":"appointment_reminder"}`, "/kind", "appointment_reminder")
	f.Add(`{"approved":true}`, "/rejected", "false")
	f.Add(`{"count":3}`, "/count", "3")
	f.Add(`{"ratio":1e21}`, "/ratio", "1e+21")
	f.Add(`{"none":null}`, "/none", "null")
	f.Add(`{}`, "/missing", "null")
	f.Add(`{"list":[1]}`, "/list", "[1]")
	f.Fuzz(func(t *testing.T, doc, pointer, want string) {
		var v any
		if json.Unmarshal([]byte(doc), &v) != nil {
			return
		}
		match := ConditionMatches(v, pointer, want)
		if !(Rule{}).Matches(v) {
			t.Fatal("a rule without a condition must apply")
		}
		if (Rule{ConditionPointer: pointer, ConditionValue: want}).Matches(v) != (match || pointer == "") {
			t.Fatal("Rule.Matches disagrees with ConditionMatches")
		}
		value, present := Lookup(v, pointer)
		if !present {
			if match != (want == "false" || want == "0" || want == "") {
				t.Fatalf("missing %q matched %q: %v", pointer, want, match)
			}
			return
		}
		switch x := value.(type) {
		case string:
			if match != (x == want) {
				t.Fatalf("string %q against %q: %v", x, want, match)
			}
		case map[string]any, []any:
			if match {
				t.Fatalf("an object or array matched %q", want)
			}
		}
		if match && ConditionMatches(v, pointer, want+"0") {
			t.Fatalf("%v matches both %q and %q", value, want, want+"0")
		}
	})
}

// escapePointer is RFC 6901's escaping of one reference token: "~" first, then "/".
func escapePointer(key string) string {
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}

func sameJSON(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(x) == string(y)
}
