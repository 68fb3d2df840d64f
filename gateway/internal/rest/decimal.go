package rest

import (
	"github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2/options"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// A decimal is a string field whose OpenAPI schema has format "decimal" (Payments' amounts, ADR 0014): the
// BB parses its text exactly against the currency's scale. GovStack's documents type these amounts as JSON
// numbers, so a number sent for one is taken as its literal text — 1500.10 arrives as "1500.10", never as
// the float nearest to it.
func isDecimal(fd protoreflect.FieldDescriptor) bool {
	s, _ := proto.GetExtension(fd.Options(), options.E_Openapiv2Field).(*options.JSONSchema)
	return s.GetFormat() == "decimal"
}
