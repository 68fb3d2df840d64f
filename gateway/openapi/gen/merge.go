package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// byBB groups the *_service.swagger.json files by building block: a BB may define its services in several
// files (procurement: procurement_service, ocds_service, reporting_service), and serves one document.
func byBB(files []string) map[string][]string {
	out := map[string][]string{}
	for _, f := range files {
		bb := filepath.Base(filepath.Dir(filepath.Dir(f)))
		out[bb] = append(out[bb], f)
	}
	for bb, fs := range out {
		main := bb + "_service.swagger.json"
		sort.SliceStable(fs, func(i, j int) bool { // the BB's own file first: its info titles the document
			return filepath.Base(fs[i]) == main && filepath.Base(fs[j]) != main
		})
	}
	return out
}

// mergeSwagger reads files and merges the later ones' paths, definitions and tags into the first.
func mergeSwagger(files []string) ([]byte, error) {
	var first map[string]any
	for i, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if len(files) == 1 {
			return raw, nil
		}
		var doc map[string]any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			return nil, err
		}
		if i == 0 {
			first = doc
			continue
		}
		for _, key := range []string{"paths", "definitions"} {
			mergeObject(first, doc, key)
		}
		if tags, ok := doc["tags"].([]any); ok {
			have, _ := first["tags"].([]any)
			first["tags"] = append(have, tags...)
		}
	}
	return json.Marshal(first)
}

// mergeObject adds src[key]'s entries to dst[key].
func mergeObject(dst, src map[string]any, key string) {
	from, ok := src[key].(map[string]any)
	if !ok {
		return
	}
	to, ok := dst[key].(map[string]any)
	if !ok {
		to = map[string]any{}
		dst[key] = to
	}
	for k, v := range from {
		if _, dup := to[k]; !dup || !strings.HasPrefix(k, "/") {
			to[k] = v
		}
	}
}
