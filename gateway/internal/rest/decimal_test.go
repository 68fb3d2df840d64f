package rest

import (
	"testing"

	"google.golang.org/grpc/codes"

	"google.golang.org/protobuf/encoding/protojson"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"
)

// Payments' batch is a JSON list of instructions, and its amounts are decimals GovStack writes as numbers.
func TestListBodyWithDecimalAmounts(t *testing.T) {
	md := (&paymentsv1.CreditInstruction{}).ProtoReflect().Descriptor()
	n, err := parseJSON([]byte(`[{"requestId": "a", "amount": 1500.10, "currency": "EUR", "extra": 1},
		{"requestId": "b", "amount": "12", "currency": "KES"}, {"requestId": "c", "amount": 0.1000000000000000055511151231257827}]`))
	if err != nil {
		t.Fatal(err)
	}
	clean, vs := checkListBody(n, md)
	if len(vs) > 0 {
		t.Fatalf("violations: %v", vs)
	}
	var req paymentsv1.BulkPaymentRequest
	if err := protojson.Unmarshal([]byte(`{"instructions":`+string(clean)+`}`), &req); err != nil {
		t.Fatalf("protojson refused %s: %v", clean, err)
	}
	got := req.GetInstructions()
	if len(got) != 3 || got[0].GetAmount() != "1500.10" || got[1].GetAmount() != "12" ||
		got[2].GetAmount() != "0.1000000000000000055511151231257827" {
		t.Fatalf("amounts not kept as written: %v", got)
	}
}

func TestListBodyViolationsNameTheItem(t *testing.T) {
	md := (&paymentsv1.CreditInstruction{}).ProtoReflect().Descriptor()
	for _, tc := range []struct{ body, field string }{
		{`[{"requestId": "a"}, {"currency": 978}]`, "[1].currency"}, // a number for a plain string field
		{`[{"requestId": 7}]`, "[0].requestId"},
		{`{"requestId": "a"}`, "(body)"}, // an object where the list belongs
		{`[{"amount": true}]`, "[0].amount"},
	} {
		n, err := parseJSON([]byte(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		_, vs := checkListBody(n, md)
		if len(vs) != 1 || vs[0].field != tc.field {
			t.Errorf("%s: violations %v, want one on %s", tc.body, vs, tc.field)
		}
	}
}

// A status only a BB's spec defines (Payments 1.0's 460) has no name: the error keeps its code's.
func TestCodeLabelOfASpecOnlyStatus(t *testing.T) {
	if got := codeLabel(460, codes.InvalidArgument); got != "INVALID_ARGUMENT" {
		t.Fatalf("codeLabel(460) = %q", got)
	}
	if got := codeLabel(405, codes.InvalidArgument); got != "METHOD_NOT_ALLOWED" {
		t.Fatalf("codeLabel(405) = %q", got)
	}
}
