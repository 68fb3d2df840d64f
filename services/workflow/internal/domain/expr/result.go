package expr

import (
	"fmt"
	"time"
)

// normalize returns a result in the canonical types (see values.go), copied so that the caller can keep or
// change it without touching the variables it came from, and measures it: a result whose JSON would exceed
// maxResultBytes is an error (an expression can build a value that shares one list many times, small in
// memory but enormous once written out).
func normalize(v any, size *int) (any, error) {
	*size += 8
	if *size > maxResultBytes {
		return nil, fmt.Errorf("the result would be larger than %d bytes", maxResultBytes)
	}
	switch v.(type) {
	case nil, bool, time.Time, Date, Duration:
		return v, nil
	}
	if x, ok := toNumber(v); ok {
		return number(x), nil
	}
	if s, ok := asString(v); ok {
		*size += len(s)
		if *size > maxResultBytes {
			return nil, fmt.Errorf("the result would be larger than %d bytes", maxResultBytes)
		}
		return s, nil
	}
	if l, ok := asList(v); ok {
		out := make([]any, len(l))
		for i, item := range l {
			n, err := normalize(item, size)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	}
	if m, ok := asContext(v); ok {
		out := make(map[string]any, len(m))
		for _, k := range sortedKeys(m) { // in order: which error is hit first must not depend on map order
			*size += len(k)
			n, err := normalize(m[k], size)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	}
	return nil, fmt.Errorf("the result holds a %s, which FEEL has no type for", typeName(v))
}
