package processes

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestUserTasksHaveTheirFormsEmbedded: each user task's formKey names a Camunda form embedded in the
// process (zeebe:userTaskForm), the form is JSON the form editor would open, and what the task's output
// mappings read from the submitted data is a field of the form.
func TestUserTasksHaveTheirFormsEmbedded(t *testing.T) {
	each(t, func(t *testing.T, f file) {
		forms := map[string]map[string]bool{} // form id -> its field keys
		for _, n := range f.all(nsZeebe, "userTaskForm") {
			var doc struct {
				ID         string `json:"id"`
				Components []struct {
					Key  string `json:"key"`
					Type string `json:"type"`
				} `json:"components"`
			}
			if err := json.Unmarshal([]byte(n.text), &doc); err != nil || doc.ID == "" || len(doc.Components) == 0 {
				t.Errorf("form %s is not a Camunda form: %v", n.attr("id"), err)
				continue
			}
			keys := map[string]bool{}
			for _, c := range doc.Components {
				if c.Key != "" {
					keys[c.Key] = true
				}
			}
			forms[n.attr("id")] = keys
		}
		used := map[string]bool{}
		for _, task := range f.all(nsBPMN, "userTask") {
			key := zeebe(task, "formDefinition").attr("formKey")
			id, ok := strings.CutPrefix(key, "camunda-forms:bpmn:")
			fields, embedded := forms[id]
			if !ok || !embedded {
				t.Errorf("%s: form key %q is not an embedded form", task.attr("id"), key)
				continue
			}
			used[id] = true
			for _, out := range f.all(nsZeebe, "output") {
				src := strings.TrimPrefix(out.attr("source"), "=")
				if isInside(out, task) && !strings.ContainsAny(src, " (\"") && !fields[src] {
					t.Errorf("%s maps %s, which its form %s does not have", task.attr("id"), src, id)
				}
			}
		}
		for id := range forms {
			if !used[id] {
				t.Errorf("form %s is embedded but no task uses it", id)
			}
		}
	})
}

func isInside(n, ancestor *node) bool {
	for p := n; p != nil; p = p.parent {
		if p == ancestor {
			return true
		}
	}
	return false
}
