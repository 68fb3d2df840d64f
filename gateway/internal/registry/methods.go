package registry

import (
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// MethodsOf lists the endpoints of every gRPC service in files, with the REST bindings of their
// google.api.http options (additional_bindings included), for EnsureService: e.g.
// MethodsOf(registriesv1.File_govstack_registries_v1_registries_service_proto). A method without an HTTP
// option is listed once, gRPC only.
func MethodsOf(files ...protoreflect.FileDescriptor) []Method {
	var out []Method
	for _, f := range files {
		for i := range f.Services().Len() {
			sd := f.Services().Get(i)
			for j := range sd.Methods().Len() {
				out = append(out, methodBindings(sd.Methods().Get(j))...)
			}
		}
	}
	return out
}

func methodBindings(md protoreflect.MethodDescriptor) []Method {
	full := "/" + string(md.Parent().FullName()) + "/" + string(md.Name())
	rule, _ := proto.GetExtension(md.Options(), annotations.E_Http).(*annotations.HttpRule)
	if rule == nil {
		return []Method{{FullName: full}}
	}
	var out []Method
	for _, r := range append([]*annotations.HttpRule{rule}, rule.GetAdditionalBindings()...) {
		if verb, path := httpBinding(r); verb != "" {
			out = append(out, Method{FullName: full, HTTPMethod: verb, Path: path})
		}
	}
	if len(out) == 0 {
		out = append(out, Method{FullName: full})
	}
	return out
}

func httpBinding(r *annotations.HttpRule) (verb, path string) {
	switch p := r.GetPattern().(type) {
	case *annotations.HttpRule_Get:
		return "GET", p.Get
	case *annotations.HttpRule_Post:
		return "POST", p.Post
	case *annotations.HttpRule_Put:
		return "PUT", p.Put
	case *annotations.HttpRule_Patch:
		return "PATCH", p.Patch
	case *annotations.HttpRule_Delete:
		return "DELETE", p.Delete
	case *annotations.HttpRule_Custom:
		return p.Custom.GetKind(), p.Custom.GetPath()
	}
	return "", ""
}
