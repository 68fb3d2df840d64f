package ocds

import "reflect"

// versioner folds one release into a versioned release: a leaf (a scalar, null or whole-list array) gets
// a new history entry when its value differs from the last one recorded.
type versioner struct {
	stamp map[string]any // releaseID, releaseDate, releaseTag of the release being folded in
}

// object folds src into dst. inIDArray is true for the items of an array merged by identifier, whose "id"
// stays a plain value (it names the item) unless the schema marks it versionId.
func (v versioner) object(dst, src map[string]any, n *node, inIDArray bool) {
	for key, val := range src {
		child := n.prop(key)
		switch {
		case child != nil && child.omit:
		case key == "ocid" && n == rules:
			// the process identifier is the record's key, not versioned
		case key == "id" && inIDArray && (child == nil || !child.versionID):
			dst[key] = val
		default:
			v.field(dst, key, val, child)
		}
	}
}

func (v versioner) field(dst map[string]any, key string, val any, n *node) {
	switch val := val.(type) {
	case map[string]any:
		prev, ok := dst[key].(map[string]any)
		if !ok {
			prev = map[string]any{}
		}
		v.object(prev, val, n, false)
		dst[key] = prev
	case []any:
		if mergesByID(val, n) {
			prev, _ := dst[key].([]any)
			dst[key] = v.byID(prev, val, n.itemRules())
			return
		}
		v.leaf(dst, key, clone(val))
	case nil:
		v.remove(dst, key)
	default:
		v.leaf(dst, key, val)
	}
}

func (v versioner) byID(prev, src []any, n *node) []any {
	return foldByID(prev, src, func(dst, item map[string]any) { v.object(dst, item, n, true) })
}

// leaf appends {releaseID, releaseDate, releaseTag, value} to the field's history if the value changed.
func (v versioner) leaf(dst map[string]any, key string, val any) {
	history, _ := dst[key].([]any)
	if !isHistory(history) {
		history = nil // the field was merged by id before (its items lacked ids now): history restarts
	}
	if len(history) > 0 {
		last, _ := history[len(history)-1].(map[string]any)
		if last != nil && reflect.DeepEqual(last["value"], val) {
			return
		}
	}
	entry := make(map[string]any, len(v.stamp)+1)
	for k, s := range v.stamp {
		entry[k] = s
	}
	entry["value"] = val
	dst[key] = append(history, entry)
}

// remove records a null for a removed leaf, and for every leaf under a removed object or array.
func (v versioner) remove(dst map[string]any, key string) {
	switch prev := dst[key].(type) {
	case map[string]any:
		for k := range prev {
			v.remove(prev, k)
		}
	case []any:
		if isHistory(prev) {
			v.leaf(dst, key, nil)
			return
		}
		for _, item := range prev {
			if obj, ok := item.(map[string]any); ok {
				for k := range obj {
					if k != "id" || isHistoryValue(obj[k]) {
						v.remove(obj, k)
					}
				}
			}
		}
	case nil:
		v.leaf(dst, key, nil)
	}
}

func isHistory(list []any) bool {
	if len(list) == 0 {
		return false
	}
	first, ok := list[0].(map[string]any)
	_, has := first["releaseID"]
	return ok && has
}

func isHistoryValue(x any) bool {
	list, ok := x.([]any)
	return ok && isHistory(list)
}
