package gateway

import (
	"slices"
	"strings"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// Method is one endpoint of a building block: its gRPC method, which is what access rights name, and the
// REST verb and path the gateway serves it under.
type Method = registry.Method

// Methods lists the endpoints of building block bb from the compiled-in descriptors of its proto package
// govstack.<bb>.v1, sorted by name — the directory's listMethods answers with them.
func Methods(bb string) []Method {
	var files []protoreflect.FileDescriptor
	protoregistry.GlobalFiles.RangeFilesByPackage(protoreflect.FullName("govstack."+bb+".v1"), func(fd protoreflect.FileDescriptor) bool {
		files = append(files, fd)
		return true
	})
	out := registry.MethodsOf(files...)
	slices.SortStableFunc(out, func(a, b Method) int { return strings.Compare(a.FullName, b.FullName) })
	return out
}
