package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/caarlos0/env/v11"
)

// Load reads T from the process environment, then validates it (see LoadFrom).
func Load[T any]() (T, error) {
	return load[T](env.ToMap(os.Environ()))
}

// LoadFrom reads T from the given variables instead of the process environment, so tests do not race on
// os.Setenv. Defaults from envDefault tags apply as with Load.
//
// After parsing, *T's FromVars method (if it has one) reads the settings whose names are computed, then an
// embedded Common is validated, then T's own Validate method (on T or *T) if it has one.
func LoadFrom[T any](vars map[string]string) (T, error) {
	if vars == nil {
		vars = map[string]string{}
	}
	return load[T](vars)
}

func load[T any](vars map[string]string) (T, error) {
	var cfg T
	seen := map[string]string{} // variable → value used, to quote the offending value in parse errors
	opts := env.Options{
		Environment: vars,
		OnSet:       func(key string, value any, _ bool) { seen[key], _ = value.(string) },
	}
	if err := env.ParseWithOptions(&cfg, opts); err != nil {
		return cfg, explain(err, keysByField(reflect.TypeOf(cfg)), seen)
	}
	if f, ok := any(&cfg).(fromVars); ok {
		f.FromVars(vars)
	}
	if err := validate(&cfg); err != nil {
		return cfg, err
	}
	return cfg, nil
}

type validator interface{ Validate() error }

// fromVars is a configuration with settings whose names are not fixed in struct tags (one variable per
// building block of the catalog, say): after the tagged fields are parsed, it reads those from the variables.
type fromVars interface{ FromVars(vars map[string]string) }

// validate runs Common's checks first and T's own second. When T's Validate is merely Common's promoted
// method the second call repeats a check that already passed, which is cheaper than detecting promotion.
func validate[T any](cfg *T) error {
	if _, isCommon := any(cfg).(*Common); !isCommon {
		for _, c := range embeddedCommons(cfg) {
			if err := c.Validate(); err != nil {
				return err
			}
		}
	}
	if v, ok := any(cfg).(validator); ok {
		return v.Validate()
	}
	if v, ok := any(*cfg).(validator); ok {
		return v.Validate()
	}
	return nil
}

// embeddedCommons returns the Common values among cfg's top-level fields (embedded or named, value or
// pointer); a nil *Common was never parsed and is skipped.
func embeddedCommons(cfg any) []Common {
	v := reflect.ValueOf(cfg).Elem()
	if v.Kind() != reflect.Struct {
		return nil
	}
	var out []Common
	for i := range v.NumField() {
		switch f := v.Field(i).Interface().(type) {
		case Common:
			out = append(out, f)
		case *Common:
			if f != nil {
				out = append(out, *f)
			}
		}
	}
	return out
}

// explain rewrites env's errors so each names the variable. env reports a bad value by Go field name only
// ("parse error on field \"ShutdownTimeout\""), which an operator cannot map to GOVSTACK_SHUTDOWN_TIMEOUT.
func explain(err error, keys map[string][]string, seen map[string]string) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return fmt.Errorf("config: %w", err)
	}
	out := make([]error, 0, len(agg.Errors))
	for _, e := range agg.Errors {
		out = append(out, explainOne(e, keys, seen))
	}
	return errors.Join(out...)
}

func explainOne(err error, keys map[string][]string, seen map[string]string) error {
	var (
		parse    env.ParseError
		notSet   env.VarIsNotSetError
		empty    env.EmptyVarError
		fileLoad env.LoadFileContentError
	)
	switch {
	case errors.As(err, &parse):
		names := keys[parse.Name]
		if len(names) == 1 {
			return fmt.Errorf("%s: invalid %s %q: %w", names[0], typeWord(parse.Type), seen[names[0]], cause(parse.Err))
		}
		// Two nested structs share the field name; say which variables it may be rather than guess.
		return fmt.Errorf("%s: invalid %s: %w", strings.Join(names, " or "), typeWord(parse.Type), cause(parse.Err))
	case errors.As(err, &notSet):
		return fmt.Errorf("%s: required but not set", notSet.Key)
	case errors.As(err, &empty):
		return fmt.Errorf("%s: must not be empty", empty.Key)
	case errors.As(err, &fileLoad):
		return fmt.Errorf("%s: cannot read file %q: %w", fileLoad.Key, fileLoad.Filename, fileLoad.Err)
	default:
		// Unsupported tag options or field types are programming errors in the config struct.
		return fmt.Errorf("config: %w", err)
	}
}

// cause drops env's own "unable to parse duration:" prefix, which would repeat what the message says.
func cause(err error) error {
	var pv env.ParseValueError
	if errors.As(err, &pv) {
		return pv.Err
	}
	return err
}

func typeWord(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.PkgPath() == "time" && t.Name() == "Duration":
		return "duration (e.g. 15s, 2m)"
	case t.Kind() == reflect.Bool:
		return "boolean (true or false)"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "integer"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "number"
	default:
		return "value"
	}
}

// keysByField maps each Go field name in t (recursively, honouring envPrefix) to the variables it is read
// from, mirroring how env walks the struct; env's ParseError carries only the field name.
func keysByField(t reflect.Type) map[string][]string {
	keys := map[string][]string{}
	onPath := map[reflect.Type]bool{} // guards against a struct that points to itself
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		if onPath[t] {
			return
		}
		onPath[t] = true
		defer delete(onPath, t)
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if key, _, _ := strings.Cut(f.Tag.Get("env"), ","); key != "" && key != "-" {
				keys[f.Name] = append(keys[f.Name], prefix+key)
			}
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				walk(ft, prefix+f.Tag.Get("envPrefix"))
			}
		}
	}
	if t.Kind() == reflect.Struct {
		walk(t, "")
	}
	return keys
}
