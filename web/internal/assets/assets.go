// Package assets serves the portal's static files, embedded at build time: GOV.UK Frontend's compiled
// styles and script (web/assets/build.sh builds them from npm; the output is committed, so a build needs
// neither npm nor the network) and the portal's own small scripts. Nothing is loaded from elsewhere.
package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var static embed.FS

// Server serves /assets/<file>. URLs carry a hash of the content (?v=…), so they may be cached for a year.
type Server struct {
	files  fs.FS
	hashes map[string]string
}

// New reads the embedded files and hashes them.
func New() (*Server, error) {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}
	s := &Server{files: sub, hashes: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		s.hashes[p] = hex.EncodeToString(sum[:6])
		return nil
	})
	return s, err
}

// URL is the versioned URL of a file, e.g. /assets/portal.css?v=1a2b3c4d5e6f. An unknown name panics at
// template execution: a typo shows in the tests, not as a broken page.
func (s *Server) URL(name string) string {
	h, ok := s.hashes[name]
	if !ok {
		panic("no asset " + name)
	}
	return "/assets/" + name + "?v=" + h
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/assets/")
	h, ok := s.hashes[name]
	if !ok || strings.HasPrefix(name, "LICENSE") {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(s.files, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	if r.URL.Query().Get("v") == h {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", `"`+h+`"`)
	if r.Header.Get("If-None-Match") == `"`+h+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(b)
}

// Favicon serves the portal's icon at /favicon.ico, where browsers look for it unasked.
func (s *Server) Favicon(w http.ResponseWriter, r *http.Request) {
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/assets/favicon.svg"
	r2.URL.RawQuery = "v=" + s.hashes["favicon.svg"]
	s.ServeHTTP(w, r2)
}
