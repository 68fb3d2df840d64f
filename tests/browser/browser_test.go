package browser

import (
	"context"
	_ "embed"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's Chromium (apt-get install -y chromium; .ci/run installs it).
const chromiumPath = "/usr/bin/chromium"

var browserOnce struct {
	sync.Once
	ctx   context.Context
	err   error
	close func() // stops Chromium and removes its profile
}

// closeBrowser stops the package's Chromium, if one started, and removes its profile folder.
func closeBrowser() {
	if browserOnce.close != nil {
		browserOnce.close()
	}
}

// browser starts one headless Chromium for the package, with the flags that keep it off the network.
func browser(t *testing.T) context.Context {
	t.Helper()
	browserOnce.Do(func() {
		if _, err := exec.LookPath(chromiumPath); err != nil {
			browserOnce.err = err
			return
		}
		dir, err := os.MkdirTemp("", "chromium-profile-")
		if err != nil {
			browserOnce.err = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath),
			chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true),
			chromedp.UserDataDir(dir), chromedp.WindowSize(1024, 800))
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(alloc)
		browserOnce.close = func() {
			cancel()
			cancelAlloc()
			_ = os.RemoveAll(dir)
		}
		browserOnce.ctx, browserOnce.err = ctx, chromedp.Do(ctx) // starts the browser
	})
	if browserOnce.err != nil {
		t.Fatalf("headless Chromium at %s does not start (apt-get install -y chromium, or GOVSTACK_BROWSER=skip): %v",
			chromiumPath, browserOnce.err)
	}
	return browserOnce.ctx
}

// tab is one person's browser: a browser context of its own (its own cookies), JavaScript on or off.
type tab struct {
	t       *testing.T
	ctx     context.Context
	js      bool
	journey string
	pages   int // pages checked with axe
}

func newTab(t *testing.T, journey string, js bool) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx, js: js, journey: journey}
	// The first action creates the tab, which then lives as long as that action's context: b.ctx, not one
	// with a timeout.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	if !js {
		tb.scripts(false)
	}
	return tb
}

// scripts switches the tab's JavaScript on or off.
func (b *tab) scripts(on bool) {
	b.t.Helper()
	b.do(chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return chromedp.Void{}, err
	}))
}

func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v (at %s)", b.journey, err, b.url())
	}
}

func (b *tab) url() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	u, _ := chromedp.Run(ctx, chromedp.Location())
	return u
}

// open loads a portal page (or a full URL, such as an e-mailed link) and checks it.
func (b *tab) open(path string) {
	b.t.Helper()
	if !strings.HasPrefix(path, "http") {
		path = env.portal + path
	}
	b.navigated(chromedp.Navigate(path))
}

// navigated runs an action that loads a page (a click on a link or a button), waits for the page and
// checks it: not an error status, JavaScript on or off as the tab says, and no axe violation.
func (b *tab) navigated(a chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: loading a page: %v (at %s)", b.journey, err, b.url())
	}
	if resp.Status >= 500 || resp.Status == 404 || resp.Status == 403 {
		b.t.Fatalf("%s: %s answered %d", b.journey, resp.URL, resp.Status)
	}
	b.checkScripts()
	b.axe()
}

// click follows a link or presses a button that loads a page.
func (b *tab) click(sel string) {
	b.t.Helper()
	b.navigated(chromedp.Click(chromedp.CSS(sel)))
}

// submit presses the main form's button.
func (b *tab) submit() { b.t.Helper(); b.click("main form button[type=submit]") }

// fill types value into the empty field with id, as a person does.
func (b *tab) fill(id, value string) {
	b.t.Helper()
	b.do(chromedp.SendKeys(chromedp.ID(id), value))
}

// choose ticks a radio button.
func (b *tab) choose(sel string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(sel)))
}

// text is the text of the first element matching sel.
func (b *tab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("%s: text of %s: %v (at %s)", b.journey, sel, err, b.url())
	}
	return s
}

// see checks that the element sel shows each of texts.
func (b *tab) see(sel string, texts ...string) {
	b.t.Helper()
	got := b.text(sel)
	for _, want := range texts {
		if !strings.Contains(got, want) {
			b.t.Fatalf("%s: %s shows %q, want %q (at %s)", b.journey, sel, got, want, b.url())
		}
	}
}

// checkScripts checks the page ran GOV.UK Frontend's scripts with JavaScript on, and none with it off:
// the body's class, read through the DOM (no script of ours runs to read it).
func (b *tab) checkScripts() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	attrs, err := chromedp.Run(ctx, chromedp.Attributes(chromedp.CSS("body")))
	if err != nil {
		b.t.Fatalf("%s: body attributes: %v", b.journey, err)
	}
	if on := strings.Contains(attrs["class"], "govuk-frontend-supported"); on != b.js {
		b.t.Fatalf("%s: JavaScript ran: %v, want %v (body class %q at %s)", b.journey, on, b.js, attrs["class"], b.url())
	}
}

// shot saves a screenshot of the page as docs/screenshots/<name>.png when GOVSTACK_SCREENSHOTS=1.
func (b *tab) shot(name string) {
	b.t.Helper()
	if os.Getenv("GOVSTACK_SCREENSHOTS") != "1" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

//go:embed axe/axe.min.js
var axeSource string

// axeRules are the rules run on every page: WCAG 2.0, 2.1 and 2.2, levels A and AA.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
  resultTypes: ['violations']}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))`

type violation struct {
	ID, Impact, Help string
	Nodes            []string
}

// axe fails the test on any violation axe-core finds on the page.
func (b *tab) axe() {
	b.t.Helper()
	b.pages++
	for _, v := range b.violations() {
		b.t.Errorf("%s: %s: axe %s (%s): %s\n  %s", b.journey, b.url(), v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
	}
}

// violations injects axe-core into the page and runs it, through DevTools: the page's Content-Security-Policy
// does not apply to it. axe-core needs the browser's script execution, so a tab without JavaScript has it
// switched on for the check only, after the page has loaded (its own scripts, blocked while it loaded, do
// not run then) and off again before the next page.
func (b *tab) violations() []violation {
	b.t.Helper()
	if !b.js {
		b.scripts(true)
		defer b.scripts(false)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.EvaluateAsDevTools[chromedp.Void](axeSource)); err != nil {
		b.t.Fatalf("%s: inject axe-core: %v", b.journey, err)
	}
	out, err := chromedp.Run(ctx, chromedp.EvaluateAsDevTools[string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: run axe-core: %v (at %s)", b.journey, err, b.url())
	}
	var vs []violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		b.t.Fatalf("axe-core's answer: %v: %s", err, out)
	}
	return vs
}
