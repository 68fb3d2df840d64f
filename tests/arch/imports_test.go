// Package arch checks the layering every BB follows (docs/adr/0012-one-repository-style.md): the domain and
// the use cases speak the BB's own language, and only the adapters around them know Postgres, gRPC, NATS and
// protobuf.
package arch

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// adapters are the packages (by import path prefix) that only a BB's store, api, events and wiring use.
var adapters = []string{
	"github.com/jackc/pgx",
	"google.golang.org/grpc",
	"google.golang.org/protobuf",
	"google.golang.org/genproto",
	"github.com/grpc-ecosystem",
	"github.com/nats-io",
	"github.com/govstackbb/marketplace/proto/",
	"github.com/govstackbb/marketplace/platform/pgstore",
	"github.com/govstackbb/marketplace/platform/outbox",
	"github.com/govstackbb/marketplace/platform/inbox",
	"github.com/govstackbb/marketplace/platform/natsbus",
	"github.com/govstackbb/marketplace/platform/grpcserver",
	"github.com/govstackbb/marketplace/platform/grpcerr",
	"github.com/govstackbb/marketplace/platform/imclient",
	"github.com/govstackbb/marketplace/platform/idempotency",
	"github.com/govstackbb/marketplace/platform/bbcmd",
}

// rules: what each layer of a BB may not import, besides the adapters — the layers around it.
var rules = map[string][]string{
	"internal/app":    {"/internal/store", "/internal/api", "/internal/events"},
	"internal/domain": {"/internal/store", "/internal/api", "/internal/events", "/internal/app"},
}

func TestLayersImportNoAdapters(t *testing.T) {
	bbs, err := filepath.Glob("../../services/*")
	if err != nil || len(bbs) == 0 {
		t.Fatalf("no BBs under services/: %v", err)
	}
	checked := 0
	for _, bb := range bbs {
		for layer, layers := range rules {
			dir := filepath.Join(bb, layer)
			forbidden := append(append([]string{}, adapters...), layers...)
			checked += checkDir(t, dir, filepath.Base(bb), forbidden)
		}
	}
	if checked == 0 {
		t.Fatal("no app or domain files were checked")
	}
}

// checkDir reports every non-test file under dir that imports a forbidden path; it returns how many files
// it read.
func checkDir(t *testing.T, dir, bb string, forbidden []string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		n++
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, bad := range forbidden {
				if strings.HasPrefix(p, bad) || (strings.HasPrefix(bad, "/internal/") && strings.Contains(p, "/services/"+bb+bad)) {
					t.Errorf("%s imports %s: %s", strings.TrimPrefix(path, "../../"), p, layerAdvice(bad))
				}
			}
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Errorf("%s: %v", dir, err)
	}
	return n
}

func layerAdvice(bad string) string {
	if strings.HasPrefix(bad, "/internal/") {
		return "a layer may not import the layers around it (ADR 0012)"
	}
	return "declare a port in the app and implement it in internal/store, internal/api or internal/events (ADR 0012)"
}
