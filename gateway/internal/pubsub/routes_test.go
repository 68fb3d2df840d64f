package pubsub_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/pubsub"
	"github.com/govstackbb/marketplace/platform/imident"
)

// The gateway mounts the BB routing pattern on the same mux; the pub/sub routes must be more specific
// (http.ServeMux panics on ambiguous patterns) and win for their paths only.
func TestRoutesCoexistWithBBRouting(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	b, err := pubsub.New(e.opts)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/r1/{instanceId}/{memberClass}/{memberCode}/{applicationCode}/{serviceCode}/{rest...}",
		func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	b.Register(mux)
	for path, want := range map[string]int{
		roomPath + "/api/v1/eventType":       http.StatusNoContent, // pub/sub: no types yet
		roomPath + "/registries/data/x":      http.StatusTeapot,    // a BB
		roomPath + "/api/v1/eventType/x/y/z": http.StatusTeapot,
	} {
		req := httptest.NewRequest("GET", path, nil)
		req = req.WithContext(imident.NewContext(req.Context(), imident.Client{Instance: "GOV", Class: "GOV", Member: "POL", Subsystem: "police"}))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("GET %s = %d, want %d", path, rec.Code, want)
		}
	}
}
