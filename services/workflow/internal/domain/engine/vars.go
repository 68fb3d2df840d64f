package engine

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// VisibleVariables are the variables an element instance sees: its own and those of every scope around
// it, the nearest winning. Workers get a job's variables this way.
func VisibleVariables(st *State, ei string) map[string]any {
	s := &stepper{st: st}
	e, ok := st.Elements[ei]
	if !ok {
		return map[string]any{}
	}
	return s.visible(e)
}

// visible merges the variables of ei's scopes, from the root down to ei; the result is a fresh map.
func (s *stepper) visible(ei *ElementInstance) map[string]any {
	var chain []*ElementInstance
	for cur := ei; cur != nil; cur = s.parent(cur) {
		chain = append(chain, cur)
	}
	out := map[string]any{}
	for i := len(chain) - 1; i >= 0; i-- {
		maps.Copy(out, chain[i].Vars)
	}
	return out
}

// propagate sets each variable in the nearest scope from ei up that already has it, else in the root scope.
func (s *stepper) propagate(ei *ElementInstance, vars map[string]any) {
	created, updated := []string{}, []string{}
	for _, k := range sortedKeys(vars) {
		target := s.st.Root()
		for cur := ei; cur != nil; cur = s.parent(cur) {
			if _, ok := cur.Vars[k]; ok {
				target = cur
				break
			}
		}
		if target == nil {
			continue // the instance has ended
		}
		if target.Vars == nil {
			target.Vars = map[string]any{}
		}
		if _, ok := target.Vars[k]; ok {
			updated = append(updated, k)
		} else {
			created = append(created, k)
		}
		target.Vars[k] = vars[k]
	}
	if len(created)+len(updated) > 0 {
		s.history(HistoryVariablesChanged, ei.Element, ei.ID, map[string]any{"created": created, "updated": updated})
	}
}

// setPath sets a mapping target in out: "a" sets a variable, "a.b" the field b of context a (a copy of the
// context a already in out, or visible in ctx, or a new one).
func setPath(out map[string]any, target string, v any, ctx map[string]any) {
	parts := strings.Split(target, ".")
	if len(parts) == 1 {
		out[target] = v
		return
	}
	root := parts[0]
	cur, ok := out[root].(map[string]any)
	if !ok {
		existing, _ := ctx[root].(map[string]any)
		cur = maps.Clone(existing)
		if cur == nil {
			cur = map[string]any{}
		}
		out[root] = cur
	}
	for _, p := range parts[1 : len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if ok {
			next = maps.Clone(next)
		} else {
			next = map[string]any{}
		}
		cur[p] = next
		cur = next
	}
	cur[parts[len(parts)-1]] = v
}

func rootName(target string) string {
	name, _, _ := strings.Cut(target, ".")
	return name
}

func copyVars(v map[string]any) map[string]any {
	out := make(map[string]any, len(v))
	maps.Copy(out, v)
	return out
}

// eval evaluates src ("" is nil) with vars.
func (s *stepper) eval(src string, vars map[string]any) (any, error) {
	if src == "" {
		return nil, nil
	}
	x, err := s.e.compile(src)
	if err != nil {
		return nil, err
	}
	return x.EvalAt(vars, s.now)
}

// compile compiles src once per engine.
func (e *Engine) compile(src string) (Expression, error) {
	if x, ok := e.cache.Load(src); ok {
		return x.(Expression), nil
	}
	x, err := e.exprs.Compile(src)
	if err != nil {
		return nil, err
	}
	e.cache.Store(src, x)
	return x, nil
}

func (s *stepper) evalBool(src string, vars map[string]any) (bool, error) {
	v, err := s.eval(src, vars)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("%s gave %v (%T), not true or false", src, v, v)
	}
	return b, nil
}

func (s *stepper) evalString(src string, vars map[string]any) (string, error) {
	v, err := s.eval(src, vars)
	if err != nil || v == nil {
		return "", err
	}
	if str, ok := v.(string); ok {
		return str, nil
	}
	return "", fmt.Errorf("%s gave %v (%T), not a string", src, v, v)
}

// evalKey evaluates a correlation key: a string, or a number written without a fraction.
func (s *stepper) evalKey(src string, vars map[string]any) (string, error) {
	v, err := s.eval(src, vars)
	if err != nil {
		return "", err
	}
	switch k := v.(type) {
	case string:
		return k, nil
	case nil:
		return "", fmt.Errorf("%s gave nothing (is the variable set?)", src)
	}
	if f, ok := toFloat(v); ok && f == math.Trunc(f) {
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	}
	return "", fmt.Errorf("%s gave %v (%T): a correlation key is a string or a whole number", src, v, v)
}

func (s *stepper) evalInt(src string, vars map[string]any) (int, error) {
	v, err := s.eval(src, vars)
	if err != nil {
		return 0, err
	}
	if str, ok := v.(string); ok {
		return strconv.Atoi(strings.TrimSpace(str))
	}
	if f, ok := toFloat(v); ok && f == math.Trunc(f) {
		return int(f), nil
	}
	return 0, fmt.Errorf("%s gave %v (%T), not a whole number", src, v, v)
}

// evalList evaluates a list of names: a comma-separated string ("legal, finance") or a list of strings.
func (s *stepper) evalList(src string, vars map[string]any) ([]string, error) {
	v, err := s.eval(src, vars)
	if err != nil || v == nil {
		return nil, err
	}
	if str, ok := v.(string); ok {
		var out []string
		for _, p := range strings.Split(str, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out, nil
	}
	items, ok := asList(v)
	if !ok {
		return nil, fmt.Errorf("%s gave %v (%T), not a list of names", src, v, v)
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		str, ok := it.(string)
		if !ok {
			return nil, fmt.Errorf("%s holds %v (%T), not a name", src, it, it)
		}
		out = append(out, str)
	}
	return out, nil
}

// evalTime evaluates a date: an RFC 3339 string or a time value ("" is none).
func (s *stepper) evalTime(src string, vars map[string]any) (*time.Time, error) {
	v, err := s.eval(src, vars)
	if err != nil || v == nil {
		return nil, err
	}
	switch t := v.(type) {
	case time.Time:
		return &t, nil
	case string:
		if t == "" {
			return nil, nil
		}
		parsed, err := time.Parse(time.RFC3339, t)
		if err != nil {
			return nil, fmt.Errorf("%q is not an RFC 3339 date-time", t)
		}
		return &parsed, nil
	}
	return nil, fmt.Errorf("%s gave %v (%T), not a date-time", src, v, v)
}

// timerValue is a timer expression's result as the text the timer library reads.
func timerValue(v any) (string, error) {
	switch t := v.(type) {
	case string:
		if t == "" {
			return "", errors.New("the timer's value is empty")
		}
		return t, nil
	case time.Time:
		return t.UTC().Format(time.RFC3339Nano), nil
	case time.Duration:
		return "PT" + strconv.FormatFloat(t.Seconds(), 'f', -1, 64) + "S", nil
	case fmt.Stringer: // the expression library's dates and durations print as ISO 8601
		return t.String(), nil
	case nil:
		return "", errors.New("the timer's expression gave nothing (is the variable set?)")
	}
	return "", fmt.Errorf("the timer's expression gave %v (%T), not a date, a duration or a cycle", v, v)
}

// asList returns v's items when v is a list of any element type.
func asList(v any) ([]any, bool) {
	if l, ok := v.([]any); ok {
		return l, true
	}
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || (rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array) {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

func toFloat(v any) (float64, bool) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	}
	return 0, false
}
