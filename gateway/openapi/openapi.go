// Package openapi embeds the OpenAPI documents the gateway serves, so the binary describes exactly the code
// it was built from. `make proto` writes them (buf generate, then go run ./openapi/gen in the gateway
// module): served/v2/<name>.json (swagger 2.0) and served/v3/<name>.json (OpenAPI 3.0, the version the
// GovStack specifications use), one pair per building block, generated from its protos, and one for the
// IM's own APIs ("gateway"), generated from the hand-written im.yaml.
package openapi

import (
	"embed"
	"io/fs"
	"path"
	"strings"
)

//go:embed served/v2/*.json served/v3/*.json
var files embed.FS

// IM is the name of the document describing the IM's own APIs (directory, configuration, rights, operator
// endpoints, pub/sub, operational data).
const IM = "gateway"

// Spec is one API's pair of documents.
type Spec struct {
	BB   string // "registries", …, or IM
	JSON []byte // swagger 2.0
	V3   []byte // OpenAPI 3.0
}

// Specs returns the embedded documents sorted by name: the building blocks' and the IM's.
func Specs() ([]Spec, error) {
	matches, err := fs.Glob(files, "served/v2/*.json")
	if err != nil {
		return nil, err
	}
	specs := make([]Spec, 0, len(matches))
	for _, m := range matches { // fs.Glob returns lexical order
		name := strings.TrimSuffix(path.Base(m), ".json")
		v2, err := files.ReadFile(m)
		if err != nil {
			return nil, err
		}
		v3, err := files.ReadFile("served/v3/" + name + ".json")
		if err != nil {
			return nil, err
		}
		specs = append(specs, Spec{BB: name, JSON: v2, V3: v3})
	}
	return specs, nil
}

// BBSpecs is Specs without the IM's own document.
func BBSpecs() ([]Spec, error) {
	specs, err := Specs()
	out := specs[:0]
	for _, s := range specs {
		if s.BB != IM {
			out = append(out, s)
		}
	}
	return out, err
}
