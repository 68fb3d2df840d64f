package gateway

import (
	"slices"
	"strings"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// Method is one endpoint of a building block: its gRPC method, which is what access rights name, and the
// REST verb and path the gateway serves it under.
type Method struct {
	FullName   string // e.g. /govstack.registries.v1.RegistriesService/ReadRecord
	HTTPMethod string // e.g. POST; empty for a method without a REST binding
	Path       string // e.g. /data/{registry_name}/{version_number}/read
}

// Methods lists the endpoints of building block bb from the compiled-in descriptors of its proto package
// govstack.<bb>.v1, sorted by name — the directory's listMethods answers with them.
func Methods(bb string) []Method {
	pkg := protoreflect.FullName("govstack." + bb + ".v1")
	var out []Method
	protoregistry.GlobalFiles.RangeFilesByPackage(pkg, func(fd protoreflect.FileDescriptor) bool {
		for i := range fd.Services().Len() {
			sd := fd.Services().Get(i)
			for j := range sd.Methods().Len() {
				md := sd.Methods().Get(j)
				verb, path := httpBinding(md)
				out = append(out, Method{FullName: "/" + string(sd.FullName()) + "/" + string(md.Name()), HTTPMethod: verb, Path: path})
			}
		}
		return true
	})
	slices.SortFunc(out, func(a, b Method) int { return strings.Compare(a.FullName, b.FullName) })
	return out
}

func httpBinding(md protoreflect.MethodDescriptor) (verb, path string) {
	rule, ok := proto.GetExtension(md.Options(), annotations.E_Http).(*annotations.HttpRule)
	if !ok || rule == nil {
		return "", ""
	}
	switch p := rule.GetPattern().(type) {
	case *annotations.HttpRule_Get:
		return "GET", p.Get
	case *annotations.HttpRule_Post:
		return "POST", p.Post
	case *annotations.HttpRule_Put:
		return "PUT", p.Put
	case *annotations.HttpRule_Delete:
		return "DELETE", p.Delete
	case *annotations.HttpRule_Patch:
		return "PATCH", p.Patch
	case *annotations.HttpRule_Custom:
		return p.Custom.GetKind(), p.Custom.GetPath()
	}
	return "", ""
}
