package form

import (
	"encoding/json"
	"strings"
	"testing"
)

const scoreForm = `{"id":"score","components":[
 {"type":"number","key":"score","validate":{"required":true,"min":1,"max":5}},
 {"type":"textarea","key":"comment","validate":{"maxLength":10}},
 {"type":"select","key":"verdict","values":[{"label":"Pass","value":"pass"},{"label":"Fail","value":"fail"}]},
 {"type":"group","components":[{"type":"checkbox","key":"conflict"},{"type":"textfield","key":"ref","validate":{"pattern":"T-[0-9]+"}}]},
 {"type":"text","text":"Thank you"}]}`

func TestCheck(t *testing.T) {
	f, err := Parse([]byte(scoreForm))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, vars, field, want string
	}{
		{"valid", `{"score":4,"comment":"ok","verdict":"pass","conflict":false,"ref":"T-1"}`, "", ""},
		{"missing required", `{"comment":"ok"}`, "score", "required"},
		{"wrong type", `{"score":"4"}`, "score", "must be a number"},
		{"below min", `{"score":0}`, "score", "at least 1"},
		{"above max", `{"score":6}`, "score", "at most 5"},
		{"too long", `{"score":3,"comment":"far too long"}`, "comment", "at most 10"},
		{"not an option", `{"score":3,"verdict":"maybe"}`, "verdict", "one of pass, fail"},
		{"nested checkbox", `{"score":3,"conflict":"yes"}`, "conflict", "true or false"},
		{"pattern", `{"score":3,"ref":"X-1"}`, "ref", "expected form"},
		{"unknown field", `{"score":3,"approved":true}`, "approved", "no field approved"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var vars map[string]any
			if err := json.Unmarshal([]byte(c.vars), &vars); err != nil {
				t.Fatal(err)
			}
			vs := f.Check(vars)
			if c.field == "" {
				if len(vs) != 0 {
					t.Fatalf("violations %v", vs)
				}
				return
			}
			for _, v := range vs {
				if v.Field == c.field && strings.Contains(v.Description, c.want) {
					return
				}
			}
			t.Fatalf("want %s: %q in %v", c.field, c.want, vs)
		})
	}
}

func TestParseRefusesWhatItCannotCheck(t *testing.T) {
	for _, src := range []string{`[`, `{"components":[{"type":"number"}]}`, `{"components":[{"type":"textfield","key":"a","validate":{"pattern":"("}}]}`} {
		if _, err := Parse([]byte(src)); err == nil {
			t.Errorf("%s parsed", src)
		}
	}
}

// FuzzParse: a form is outside input; whatever it holds, Parse and Check do not panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(scoreForm), []byte(`{"score":3}`))
	f.Add([]byte(`{"components":[{"type":"group","components":[{"type":"checklist","key":"a","values":[{"value":1}]}]}]}`), []byte(`{"a":[1,2]}`))
	f.Fuzz(func(t *testing.T, form, vars []byte) {
		parsed, err := Parse(form)
		if err != nil {
			return
		}
		var v map[string]any
		if json.Unmarshal(vars, &v) == nil {
			parsed.Check(v)
		}
	})
}
