package rest

import (
	"regexp"
	"strings"
	"sync"

	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2/options"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// route is what the check middleware needs to know about one REST binding of an RPC: the request message,
// where the body goes and which fields the path binds. It comes from the compiled-in proto descriptors (the
// google.api.http options the generated handlers were made from), so it cannot disagree with them.
type route struct {
	input    protoreflect.MessageDescriptor
	body     string     // "" (no body), "*" (the whole message) or a field name
	pathVars [][]string // field paths the path template binds, in proto names
	// apiKey is set when the operation's OpenAPI says the apiKey header is required (Messaging): its absence
	// is answered before the body is read, so a caller without a key learns that first.
	apiKey bool
	// invalidStatus is the status the operation's OpenAPI documents for invalid input (Messaging's 405),
	// 0 for the usual 400.
	invalidStatus int
}

// bodyMessage is the message the body is read into; nil when the route takes no body or a scalar one.
func (r route) bodyMessage() protoreflect.MessageDescriptor {
	switch r.body {
	case "":
		return nil
	case "*":
		return r.input
	}
	if fd := r.input.Fields().ByName(protoreflect.Name(r.body)); fd != nil && !fd.IsList() && !fd.IsMap() {
		return fd.Message()
	}
	return nil
}

// bodyList is the message of a body that is a JSON list (body: a repeated message field, as Payments' batch
// of credit instructions); nil otherwise.
func (r route) bodyList() protoreflect.MessageDescriptor {
	if r.body == "" || r.body == "*" {
		return nil
	}
	if fd := r.input.Fields().ByName(protoreflect.Name(r.body)); fd != nil && fd.IsList() {
		return fd.Message()
	}
	return nil
}

// boundElsewhere reports field paths the query may not set: the path's and the body's.
func (r route) boundElsewhere(path []string) bool {
	if r.body != "" && r.body != "*" && len(path) > 0 && path[0] == r.body {
		return true
	}
	for _, v := range r.pathVars {
		if hasPrefix(path, v) || hasPrefix(v, path) {
			return true
		}
	}
	return false
}

func hasPrefix(s, prefix []string) bool {
	if len(prefix) > len(s) {
		return false
	}
	for i := range prefix {
		if s[i] != prefix[i] {
			return false
		}
	}
	return true
}

var (
	routesOnce sync.Once
	routeTable map[string]route
)

// routeFor finds the binding of method and path template (in the {name} spelling, see normalisePattern).
func routeFor(method, template string) (route, bool) {
	routesOnce.Do(func() { routeTable = buildRoutes(protoregistry.GlobalFiles) })
	r, ok := routeTable[method+" "+template]
	return r, ok
}

func buildRoutes(files *protoregistry.Files) map[string]route {
	out := map[string]route{}
	files.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		for i := range fd.Services().Len() {
			ms := fd.Services().Get(i).Methods()
			for j := range ms.Len() {
				addRoutes(out, ms.Get(j))
			}
		}
		return true
	})
	return out
}

func addRoutes(out map[string]route, md protoreflect.MethodDescriptor) {
	rule, _ := proto.GetExtension(md.Options(), annotations.E_Http).(*annotations.HttpRule)
	if rule == nil {
		return
	}
	apiKey := requiresAPIKey(md)
	invalid := grpcerr.InvalidInputStatus("/" + string(md.Parent().FullName()) + "/" + string(md.Name()))
	for _, r := range append([]*annotations.HttpRule{rule}, rule.GetAdditionalBindings()...) {
		verb, path := httpRule(r)
		if verb == "" {
			continue
		}
		out[verb+" "+normalisePattern(path)] = route{input: md.Input(), body: r.GetBody(), pathVars: templateVars(path),
			apiKey: apiKey, invalidStatus: invalid}
	}
}

// requiresAPIKey reads the method's openapiv2_operation option for a required apiKey header parameter.
func requiresAPIKey(md protoreflect.MethodDescriptor) bool {
	op, _ := proto.GetExtension(md.Options(), options.E_Openapiv2Operation).(*options.Operation)
	for _, h := range op.GetParameters().GetHeaders() {
		if h.GetRequired() && strings.EqualFold(h.GetName(), messagingAPIKey) {
			return true
		}
	}
	return false
}

func httpRule(r *annotations.HttpRule) (verb, path string) {
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

var templateVar = regexp.MustCompile(`\{([^}=]+)(=[^}]*)?\}`)

// normalisePattern spells every variable {name}: templates may say {name=*} or {name=**}, and grpc-gateway's
// runtime.Pattern.String spells them {name=*}.
func normalisePattern(p string) string {
	return templateVar.ReplaceAllString(p, "{$1}")
}

func templateVars(p string) [][]string {
	var out [][]string
	for _, m := range templateVar.FindAllStringSubmatch(p, -1) {
		out = append(out, strings.Split(m[1], "."))
	}
	return out
}
