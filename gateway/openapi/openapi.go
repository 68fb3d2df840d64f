// Package openapi embeds the OpenAPI v2 documents that `buf generate` writes next to this file, one per
// building block (govstack/<bb>/v1/<bb>_service.swagger.json), so the gateway binary serves the API
// description of exactly the code it was built from.
package openapi

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
)

//go:embed govstack/*/v1/*_service.swagger.json
var files embed.FS

// Spec is one building block's OpenAPI document.
type Spec struct {
	BB   string // e.g. "registries"
	JSON []byte // the swagger 2.0 document as generated
}

// Specs returns the embedded documents, sorted by building block.
func Specs() ([]Spec, error) {
	matches, err := fs.Glob(files, "govstack/*/v1/*_service.swagger.json")
	if err != nil {
		return nil, err
	}
	specs := make([]Spec, 0, len(matches))
	seen := map[string]string{}
	for _, m := range matches { // fs.Glob returns lexical order, so the result is sorted by BB
		bb := path.Base(path.Dir(path.Dir(m)))
		if prev, ok := seen[bb]; ok {
			// Several service files per BB need merging first (ARCHITECTURE.md §3); serving one of them
			// would silently hide the other's paths.
			return nil, fmt.Errorf("openapi: %s and %s both describe %s; merge them into one document", prev, m, bb)
		}
		seen[bb] = m
		b, err := files.ReadFile(m)
		if err != nil {
			return nil, err
		}
		specs = append(specs, Spec{BB: bb, JSON: b})
	}
	return specs, nil
}
