package grpcerr

import (
	"strings"
	"sync"

	"github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2/options"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Some GovStack specs answer invalid input with another status than 400 — Messaging's is 405 "Invalid
// input". A method says so in its proto, as the OpenAPI response it documents (openapiv2_operation
// responses, key "405", and no "400"); every invalid-argument error of that method then carries the status
// (apierr.Error.HTTPStatus), and the gateway answers with it. The proto stays the one place it is written.

var invalidInputStatuses sync.Map // full method → int (0: the usual 400)

// InvalidInputStatus is the status a method's OpenAPI documents for invalid input, or 0 for the usual 400.
// The gateway answers its own input checks of the method with it too.
func InvalidInputStatus(fullMethod string) int {
	if v, ok := invalidInputStatuses.Load(fullMethod); ok {
		return v.(int)
	}
	status := 0
	if op := operationOf(fullMethod); op != nil {
		_, has400 := op.GetResponses()["400"]
		if _, has405 := op.GetResponses()["405"]; has405 && !has400 {
			status = 405
		}
	}
	invalidInputStatuses.Store(fullMethod, status)
	return status
}

// operationOf reads the openapiv2_operation option of a method ("/pkg.Service/Method").
func operationOf(fullMethod string) *options.Operation {
	service, method, ok := strings.Cut(strings.TrimPrefix(fullMethod, "/"), "/")
	if !ok {
		return nil
	}
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(service))
	if err != nil {
		return nil
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok {
		return nil
	}
	md := sd.Methods().ByName(protoreflect.Name(method))
	if md == nil {
		return nil
	}
	op, _ := proto.GetExtension(md.Options(), options.E_Openapiv2Operation).(*options.Operation)
	return op
}

// withSpecStatus gives an invalid-argument error of fullMethod the status its spec prescribes.
func withSpecStatus(fullMethod string, err error) error {
	e, ok := apierr.As(err)
	if !ok || e.Kind != apierr.KindInvalidArgument || e.HTTPStatus != 0 {
		return err
	}
	status := InvalidInputStatus(fullMethod)
	if status == 0 {
		return err
	}
	c := *e
	c.HTTPStatus = status
	return &c
}
