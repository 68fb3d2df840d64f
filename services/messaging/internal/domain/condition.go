package domain

import (
	"encoding/json"
	"strconv"
)

// ConditionMatches reports whether the value at pointer in an event payload equals want, the rule's
// condition_value, which is text. A string compares as is; a boolean as "true"/"false"; a number in its
// shortest decimal form ("3", "2.5"); null as "null". Objects and arrays never match.
//
// Payloads are protojson, which omits a field holding its type's default value: a false boolean, a zero
// number, an empty string. So a missing field matches "false", "0" and "" — without that, a rule on
// /approved = false could never fire. Pointing at a field the event type does not have matches those too,
// which is why a condition should name a field of the event's own payload.
func ConditionMatches(doc any, pointer, want string) bool {
	v, ok := Lookup(doc, pointer)
	if !ok {
		return want == "false" || want == "0" || want == ""
	}
	switch x := v.(type) {
	case string:
		return x == want
	case bool:
		return strconv.FormatBool(x) == want
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64) == want
	case json.Number:
		return x.String() == want
	case nil:
		return want == "null"
	}
	return false
}
