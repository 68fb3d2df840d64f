package app_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// forbidden are the imports ADR 0012 keeps out of the app and the domain: the database driver, gRPC, NATS
// and generated protobuf belong to internal/store, internal/api, internal/events and internal/registry.
var forbidden = []string{
	"github.com/jackc/pgx",
	"google.golang.org/grpc",
	"google.golang.org/protobuf",
	"github.com/nats-io/",
	"github.com/govstackbb/marketplace/proto/",
	"github.com/govstackbb/marketplace/platform/pgstore",
	"github.com/govstackbb/marketplace/platform/outbox",
	"github.com/govstackbb/marketplace/platform/grpcerr",
	"github.com/govstackbb/marketplace/services/registration/internal/store",
}

func TestLayerImports(t *testing.T) {
	for _, dir := range []string{".", "../domain"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range parsed.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, bad := range forbidden {
					if strings.HasPrefix(path, bad) {
						t.Errorf("%s imports %s", f, path)
					}
				}
			}
		}
	}
}
