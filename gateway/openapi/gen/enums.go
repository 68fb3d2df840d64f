package main

import (
	"strings"

	"github.com/govstackbb/marketplace/gateway/internal/rest"
	_ "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	_ "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	_ "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	_ "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// enumSpellings maps the full name of every value of every govstack enum to the spelling the gateway uses
// (rest.EnumJSONName); "" for the UNSPECIFIED values, which no client sends and no answer carries.
// Value names are unique within a proto package (they are siblings of their enum), and the short form only
// drops the enum's own prefix, so one map serves every document.
func enumSpellings() map[string]string {
	out := map[string]string{}
	protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if strings.HasPrefix(string(fd.Package()), "govstack.") {
			addEnums(out, fd.Enums())
			addMessageEnums(out, fd.Messages())
		}
		return true
	})
	return out
}

func addMessageEnums(out map[string]string, msgs protoreflect.MessageDescriptors) {
	for i := range msgs.Len() {
		addEnums(out, msgs.Get(i).Enums())
		addMessageEnums(out, msgs.Get(i).Messages())
	}
}

func addEnums(out map[string]string, enums protoreflect.EnumDescriptors) {
	for i := range enums.Len() {
		ed := enums.Get(i)
		for j := range ed.Values().Len() {
			v := ed.Values().Get(j)
			short := rest.EnumJSONName(ed, v.Number())
			if strings.HasSuffix(string(v.Name()), "_UNSPECIFIED") {
				short = ""
			}
			out[string(v.Name())] = short
		}
	}
}

// spellEnums rewrites, anywhere in a swagger document, the enum lists (and defaults and the value list
// protoc-gen-openapiv2 writes into descriptions) whose values are all govstack enum values.
func spellEnums(node any, spell map[string]string) {
	switch n := node.(type) {
	case []any:
		for _, v := range n {
			spellEnums(v, spell)
		}
	case map[string]any:
		if values, ok := n["enum"].([]any); ok && allKnown(values, spell) {
			respell(n, values, spell)
		}
		for _, v := range n {
			spellEnums(v, spell)
		}
	}
}

func allKnown(values []any, spell map[string]string) bool {
	for _, v := range values {
		s, ok := v.(string)
		if _, known := spell[s]; !ok || !known {
			return false
		}
	}
	return len(values) > 0
}

func respell(schema map[string]any, values []any, spell map[string]string) {
	var out []any
	for _, v := range values {
		if short := spell[v.(string)]; short != "" {
			out = append(out, short)
		}
	}
	schema["enum"] = out
	if d, ok := schema["default"].(string); ok {
		if short := spell[d]; short != "" {
			schema["default"] = short
		} else {
			delete(schema, "default")
		}
	}
	desc, ok := schema["description"].(string)
	if !ok {
		return
	}
	var lines []string
	for _, line := range strings.Split(desc, "\n") {
		if name, tail, isValue := strings.Cut(strings.TrimPrefix(line, " - "), ":"); isValue && strings.HasPrefix(line, " - ") {
			if short, known := spell[name]; known {
				if short == "" {
					continue
				}
				line = " - " + short + ":" + tail
			}
		}
		lines = append(lines, line)
	}
	schema["description"] = strings.Join(lines, "\n")
}
