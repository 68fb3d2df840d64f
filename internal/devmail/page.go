package devmail

import (
	"encoding/json"
	"html/template"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// Handler serves the mailbox: GET / is a page with the messages, newest first, their links clickable
// (?to= shows one recipient's); GET /messages is the same as JSON.
func (m *Mailbox) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		to := strings.TrimSpace(r.URL.Query().Get("to"))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		_ = page.Execute(w, struct {
			To       string
			Messages []Message
		}{to, m.newestFor(to)})
	})
	mux.HandleFunc("GET /messages", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(m.newestFor(strings.TrimSpace(r.URL.Query().Get("to"))))
	})
	return mux
}

// newestFor is the messages to one recipient (all when to is empty), newest first.
func (m *Mailbox) newestFor(to string) []Message {
	msgs := m.Find(func(msg Message) bool { return to == "" || strings.EqualFold(msg.To, to) })
	slices.Reverse(msgs)
	if msgs == nil {
		msgs = []Message{} // JSON [], not null
	}
	return msgs
}

var link = regexp.MustCompile(`https?://[^\s<>"']+`)

// linked is body as HTML: escaped, with its http and https addresses as links.
func linked(body string) template.HTML {
	var b strings.Builder
	last := 0
	for _, loc := range link.FindAllStringIndex(body, -1) {
		b.WriteString(template.HTMLEscapeString(body[last:loc[0]]))
		u := template.HTMLEscapeString(body[loc[0]:loc[1]])
		b.WriteString(`<a href="` + u + `">` + u + `</a>`)
		last = loc[1]
	}
	b.WriteString(template.HTMLEscapeString(body[last:]))
	return template.HTML(b.String()) // #nosec: every piece above is escaped
}

var page = template.Must(template.New("mailbox").Funcs(template.FuncMap{"linked": linked}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Development mailbox</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
article{border-top:1px solid #b1b4b6;padding:.5rem 0}pre{white-space:pre-wrap}small{color:#505a5f}</style></head>
<body><main><h1>Development mailbox</h1>
<p>Every e-mail the stack sends while it runs (govstack dev), newest first; nothing is delivered further.
Open an activation or password-reset link from here.</p>
<form method="get"><label for="to">Recipient</label> <input id="to" name="to" type="email" value="{{.To}}">
<button>Show</button>{{if .To}} <a href="/">all</a>{{end}}</form>
{{range .Messages}}<article><h2>{{.Subject}}</h2>
<small>#{{.ID}} to {{.To}} from {{.From}} at {{.Received.Format "2006-01-02 15:04:05 MST"}}</small>
<pre>{{linked .Body}}</pre></article>
{{else}}<p>No e-mail yet.</p>{{end}}
</main></body></html>
`))
