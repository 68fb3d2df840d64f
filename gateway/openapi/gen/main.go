// Command gen writes the OpenAPI documents the gateway serves, from the swagger 2.0 files protoc-gen-openapiv2
// generates (buf generate) and the hand-written description of the IM's own APIs (im.yaml). `make proto` runs
// it after buf generate, from the gateway module: go run ./openapi/gen.
//
// For every building block it writes served/v2/<bb>.json and served/v3/<bb>.json; for the IM,
// served/v2/gateway.json and served/v3/gateway.json. On the way it spells enum values as the gateway reads
// and writes them (ADR 0008: "booked", not APPOINTMENT_STATUS_BOOKED) and documents the one error body every
// operation answers with. Everything runs offline and the output is byte-for-byte reproducible, so
// `make proto-check` can tell a stale document.
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	if err := run("openapi"); err != nil {
		log.Fatal(err)
	}
}

// run reads dir/govstack/*/v1/*_service.swagger.json (merged per BB) and dir/im.yaml and writes dir/served/.
func run(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "govstack", "*", "v1", "*_service.swagger.json"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no swagger files under %s/govstack: run buf generate first", dir)
	}
	groups := byBB(files)
	bbs := make([]string, 0, len(groups))
	for bb := range groups {
		bbs = append(bbs, bb)
	}
	sort.Strings(bbs)
	for _, bb := range bbs {
		raw, err := mergeSwagger(groups[bb])
		if err != nil {
			return err
		}
		v2, v3, err := fromSwagger(raw)
		if err != nil {
			return fmt.Errorf("%s: %w", bb, err)
		}
		if err := write(dir, bb, v2, v3); err != nil {
			return err
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "im.yaml"))
	if err != nil {
		return err
	}
	v2, v3, err := fromOpenAPI3(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, "im.yaml"), err)
	}
	return write(dir, "gateway", v2, v3)
}

func write(dir, name string, v2, v3 []byte) error {
	for version, doc := range map[string][]byte{"v2": v2, "v3": v3} {
		out := filepath.Join(dir, "served", version, name+".json")
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(out, append(doc, '\n'), 0o644); err != nil {
			return err
		}
	}
	return nil
}
