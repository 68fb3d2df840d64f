package processes

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestReadmeListsWhatEachFileUses keeps README.md true: each file's section names, in backticks, exactly
// the BPMN elements and zeebe extensions the file uses.
func TestReadmeListsWhatEachFileUses(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	sections := strings.Split(string(readme), "\n## ")
	listed := regexp.MustCompile("`((?:bpmn|zeebe):[a-zA-Z]+)`")
	each(t, func(t *testing.T, f file) {
		var section string
		for _, s := range sections {
			if strings.HasPrefix(s, f.name+"\n") {
				section = s
			}
		}
		if section == "" {
			t.Fatalf("README.md has no section ## %s", f.name)
		}
		var used, named []string
		f.root.walk(func(n *node) {
			switch n.name.Space {
			case nsBPMN:
				used = append(used, "bpmn:"+n.name.Local)
			case nsZeebe:
				used = append(used, "zeebe:"+n.name.Local)
			}
		})
		for _, m := range listed.FindAllStringSubmatch(section, -1) {
			named = append(named, m[1])
		}
		slices.Sort(used)
		slices.Sort(named)
		used, named = slices.Compact(used), slices.Compact(named)
		for _, u := range used {
			if !slices.Contains(named, u) {
				t.Errorf("README.md does not list %s, which %s uses", u, f.name)
			}
		}
		for _, n := range named {
			if !slices.Contains(used, n) {
				t.Errorf("README.md lists %s, which %s does not use", n, f.name)
			}
		}
	})
}
