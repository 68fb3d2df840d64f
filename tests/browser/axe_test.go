package browser

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The accessibility check can fail: on a page with an image without alternative text and an input without
// a label, axe-core reports both, with JavaScript on and off.
func TestAxeReportsViolations(t *testing.T) {
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html lang="en"><head><title>bad</title></head><body><main>` +
			`<img src="/x.png"><input type="text"></main></body></html>`))
	}))
	defer bad.Close()
	for _, js := range []bool{true, false} {
		b := newTab(t, "axe", js)
		ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
		if err := chromedp.Do(ctx, chromedp.Navigate(bad.URL)); err != nil {
			t.Fatal(err)
		}
		cancel()
		found := map[string]bool{}
		for _, v := range b.violations() {
			found[v.ID] = true
		}
		if !found["image-alt"] || !found["label"] {
			t.Errorf("JavaScript %v: axe-core found %v, want image-alt and label", js, found)
		}
	}
}
