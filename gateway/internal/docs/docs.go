// Package docs serves the gateway's API description: each building block's OpenAPI document, an index of
// them, and a self-contained HTML page rendered from the documents on the server, so it works without
// internet access or a CDN-hosted viewer.
package docs

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
)

// Spec is one API's documents: a building block's, or the IM's own.
type Spec struct {
	BB   string
	JSON []byte // swagger 2.0
	V3   []byte // OpenAPI 3.0: what the page is rendered from
}

// Alias is an older path spelling the gateway also serves; the page lists them.
type Alias struct{ Old, Current string }

// Docs holds the rendered page and documents; everything is computed once in New.
type Docs struct {
	specs map[string][]byte // swagger 2.0, by name
	v3    map[string][]byte // OpenAPI 3.0, by name
	index []byte
	page  []byte
}

// SpecPath is where a document is served as swagger 2.0.
func SpecPath(bb string) string { return "/openapi/" + bb + ".json" }

// SpecV3Path is where a document is served as OpenAPI 3.0.
func SpecV3Path(bb string) string { return "/openapi/v3/" + bb + ".json" }

// Page and index paths.
const (
	IndexPath = "/openapi"
	PagePath  = "/docs"
)

//go:embed page.html.tmpl
var pageTemplate string

var page = template.Must(template.New("docs").Parse(pageTemplate))

type pageView struct {
	BBs     []bbView
	Aliases []Alias
}

type bbView struct {
	BB, Title, Description, Version, SpecURL, SpecV3URL string
	Ops                                                 []opView
	Defs                                                []defView
}

type opView struct {
	Method, Path, Summary, Description, ID, Anchor string
	Params                                         []paramView
	Response                                       typeView
	ResponseStatus                                 string
}

type paramView struct {
	Name, In, Description string
	Required              bool
	Type                  typeView
}

type typeView struct{ Text, Anchor string }

type defView struct {
	Name, Anchor, Description string
	Type                      typeView
	Props                     []propView
}

type propView struct {
	Name, Description string
	Type              typeView
}

// indexEntry is one line of GET /openapi.
type indexEntry struct {
	BB       string `json:"bb"`
	Title    string `json:"title"`
	Version  string `json:"version"`
	OpenAPI  string `json:"openapi"`  // swagger 2.0
	OpenAPI3 string `json:"openapi3"` // OpenAPI 3.0
}

// New parses the documents and renders the page; a document that does not parse is an error at start-up
// rather than a broken page later.
func New(specs []Spec, aliases []Alias) (*Docs, error) {
	d := &Docs{specs: make(map[string][]byte, len(specs)), v3: make(map[string][]byte, len(specs))}
	pv := pageView{Aliases: aliases}
	entries := []indexEntry{}
	for _, s := range specs {
		v, err := view(s.BB, s.V3)
		if err != nil {
			return nil, err
		}
		d.specs[s.BB], d.v3[s.BB] = s.JSON, s.V3
		pv.BBs = append(pv.BBs, v)
		entries = append(entries, indexEntry{BB: s.BB, Title: v.Title, Version: v.Version, OpenAPI: v.SpecURL,
			OpenAPI3: v.SpecV3URL})
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, pv); err != nil {
		return nil, fmt.Errorf("docs: render page: %w", err)
	}
	d.page = buf.Bytes()
	idx, err := json.Marshal(map[string]any{"buildingBlocks": entries, "docs": PagePath})
	if err != nil {
		return nil, err
	}
	d.index = idx
	return d, nil
}

// BBs lists the building blocks with a document.
func (d *Docs) BBs() []string { return sortedKeys(d.specs) }

// Index serves the JSON list of building blocks and their document URLs.
func (d *Docs) Index() http.Handler { return static("application/json", d.index) }

// Spec serves one swagger 2.0 document; ok is false when there is none.
func (d *Docs) Spec(bb string) (h http.Handler, ok bool) { return serve(d.specs, bb) }

// SpecV3 serves one OpenAPI 3.0 document; ok is false when there is none.
func (d *Docs) SpecV3(bb string) (h http.Handler, ok bool) { return serve(d.v3, bb) }

func serve(docs map[string][]byte, name string) (http.Handler, bool) {
	b, ok := docs[name]
	if !ok {
		return nil, false
	}
	return static("application/json", b), true
}

// Page serves the HTML page.
func (d *Docs) Page() http.Handler {
	h := static("text/html; charset=utf-8", d.page)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The page has inline CSS only and no scripts; forbid everything else.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		h.ServeHTTP(w, r)
	})
}

func static(contentType string, body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = w.Write(body)
	})
}
