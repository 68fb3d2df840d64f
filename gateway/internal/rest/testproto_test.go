package rest

import (
	"testing"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
	_ "google.golang.org/protobuf/types/known/structpb"    // registers struct.proto for the import below
	_ "google.golang.org/protobuf/types/known/timestamppb" // and timestamp.proto
)

// testFile is a request message with every kind of field the checks handle, independent of the BBs' protos.
const testFile = `
name: "resttest.proto" package: "resttest" syntax: "proto3"
dependency: "google/protobuf/timestamp.proto" dependency: "google/protobuf/struct.proto"
message_type {
  name: "Booking"
  field { name: "booking_id" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
  field { name: "seats" number: 2 label: LABEL_OPTIONAL type: TYPE_INT32 }
  field { name: "amount" number: 3 label: LABEL_OPTIONAL type: TYPE_INT64 }
  field { name: "paid" number: 4 label: LABEL_OPTIONAL type: TYPE_BOOL }
  field { name: "price" number: 5 label: LABEL_OPTIONAL type: TYPE_DOUBLE }
  field { name: "status" number: 6 label: LABEL_OPTIONAL type: TYPE_ENUM type_name: ".resttest.BookingStatus" }
  field { name: "photo" number: 7 label: LABEL_OPTIONAL type: TYPE_BYTES }
  field { name: "tags" number: 8 label: LABEL_REPEATED type: TYPE_STRING }
  field { name: "labels" number: 9 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".resttest.Booking.LabelsEntry" }
  field { name: "guest" number: 10 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".resttest.Guest" }
  field { name: "start_time" number: 11 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Timestamp" json_name: "start_time" }
  field { name: "content" number: 12 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".google.protobuf.Struct" }
  field { name: "guests" number: 13 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".resttest.Guest" }
  field { name: "email" number: 14 label: LABEL_OPTIONAL type: TYPE_STRING oneof_index: 0 }
  field { name: "phone" number: 15 label: LABEL_OPTIONAL type: TYPE_STRING oneof_index: 0 }
  field { name: "statuses" number: 16 label: LABEL_REPEATED type: TYPE_ENUM type_name: ".resttest.BookingStatus" }
  oneof_decl { name: "contact" }
  nested_type {
    name: "LabelsEntry"
    field { name: "key" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
    field { name: "value" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING }
    options { map_entry: true }
  }
}
message_type {
  name: "Guest"
  field { name: "name" number: 1 label: LABEL_OPTIONAL type: TYPE_STRING }
  field { name: "national_id" number: 2 label: LABEL_OPTIONAL type: TYPE_STRING }
}
enum_type {
  name: "BookingStatus"
  value { name: "BOOKING_STATUS_UNSPECIFIED" number: 0 }
  value { name: "BOOKING_STATUS_BOOKED" number: 1 }
  value { name: "BOOKING_STATUS_CHECKED_IN" number: 2 }
  value { name: "BOOKING_STATUS_NOT_SENT" number: 3 }
}
`

// testMessage returns the descriptor of resttest.<name>.
func testMessage(t *testing.T, name string) protoreflect.MessageDescriptor {
	t.Helper()
	var fdp descriptorpb.FileDescriptorProto
	if err := prototext.Unmarshal([]byte(testFile), &fdp); err != nil {
		t.Fatal(err)
	}
	fd, err := protodesc.NewFile(&fdp, protoregistry.GlobalFiles)
	if err != nil {
		t.Fatal(err)
	}
	md := fd.Messages().ByName(protoreflect.Name(name))
	if md == nil {
		t.Fatalf("no message %s", name)
	}
	return md
}
