package gateway

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/directory"
	"github.com/govstackbb/marketplace/gateway/internal/msglog"
	"github.com/govstackbb/marketplace/gateway/internal/pubsub"
	"github.com/govstackbb/marketplace/gateway/openapi"
)

// patterns records what is mounted on it.
type patterns []string

func (p *patterns) Handle(pattern string, _ http.Handler) { *p = append(*p, pattern) }

// The IM's OpenAPI document (hand-written in openapi/im.yaml) describes exactly the routes the gateway serves
// for the IM's own APIs: a route added without its description, or a description left behind, fails here.
func TestIMDocumentDescribesTheServedRoutes(t *testing.T) {
	var served patterns
	(&im{dir: &directory.Handler{}, broker: &pubsub.Broker{}, log: &msglog.Log{}}).registerAPIs(&served)
	specs, err := openapi.Specs()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(specs, func(s openapi.Spec) bool { return s.BB == openapi.IM })
	if i < 0 {
		t.Fatalf("no %q document among %d", openapi.IM, len(specs))
	}
	documented := map[string]bool{}
	for _, doc := range [][]byte{specs[i].V3, specs[i].JSON} {
		var d struct {
			Paths map[string]map[string]json.RawMessage `json:"paths"`
		}
		if err := json.Unmarshal(doc, &d); err != nil {
			t.Fatal(err)
		}
		ops := map[string]bool{}
		for path, item := range d.Paths {
			for method := range item {
				if method == "parameters" {
					continue
				}
				ops[strings.ToUpper(method)+" "+path] = true
				// The metaservices are served without /r1 too, as the specification says; one description.
				if rest, ok := strings.CutPrefix(path, "/r1/"); ok && slices.ContainsFunc([]string{"listMethods", "allowedMethods", "getOpenAPI"},
					func(m string) bool { return strings.HasSuffix(rest, "/"+m) }) {
					ops[strings.ToUpper(method)+" /"+rest] = true
				}
			}
		}
		if len(documented) > 0 && !maps.Equal(ops, documented) {
			t.Errorf("the swagger 2.0 and OpenAPI 3 documents describe different operations")
		}
		documented = ops
	}
	for _, p := range served {
		if !documented[p] {
			t.Errorf("%s is served but openapi/im.yaml does not describe it", p)
		}
	}
	for op := range documented {
		if !slices.Contains(served, op) {
			t.Errorf("openapi/im.yaml describes %s, which is not served", op)
		}
	}
	if len(served) < 40 {
		t.Errorf("only %d IM routes recorded; the recorder is not seeing them", len(served))
	}
}
