package textcheck

import (
	"reflect"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/platform/apierr"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestProblem(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // a word the problem must contain, "" for none
	}{
		{"Mari Maasikas", ""},
		{"Tallinn – Põhja", ""},
		{"a\x00b", "NUL"},
		{"\xff", "UTF-8"},
		{"ok\xc3", "UTF-8"}, // a cut multi-byte sequence
	} {
		got := Problem(tc.in)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("Problem(%q) = %q, want it to mention %q", tc.in, got, tc.want)
		}
	}
}

func TestMessageNamesFieldsByJSONName(t *testing.T) {
	m := &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
		{Field: "fine", Description: "fine"},
		{Field: "bad\x00", Description: "also\xffbad"},
	}}
	got := Message(m)
	want := []string{"fieldViolations[1].field", "fieldViolations[1].description"}
	if names := fields(got); !reflect.DeepEqual(names, want) {
		t.Fatalf("fields = %v, want %v", names, want)
	}
	if !strings.Contains(got[0].Description, "NUL") || !strings.Contains(got[1].Description, "UTF-8") {
		t.Errorf("descriptions = %+v", got)
	}
}

func TestMessageWalksStructContents(t *testing.T) {
	content, err := structpb.NewStruct(map[string]any{
		"firstName": "Mari\x00",
		"address":   map[string]any{"city": "Tal\x00linn"},
		"phones":    []any{"+372 5555", "x\x00"},
		"age":       42,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := fields(Message(content))
	want := map[string]bool{"firstName": true, "address.city": true, "phones[1]": true}
	if len(got) != len(want) {
		t.Fatalf("fields = %v, want %v", got, want)
	}
	for _, f := range got {
		if !want[f] {
			t.Errorf("unexpected field %q in %v", f, got)
		}
	}
}

func TestMessageOnCleanInputAndBounds(t *testing.T) {
	if v := Message(&errdetails.ErrorInfo{Reason: "R", Metadata: map[string]string{"k": "v"}}); v != nil {
		t.Errorf("clean message: %v", v)
	}
	var many []*errdetails.BadRequest_FieldViolation
	for range 100 {
		many = append(many, &errdetails.BadRequest_FieldViolation{Field: "\x00"})
	}
	if n := len(Message(&errdetails.BadRequest{FieldViolations: many})); n != maxViolations {
		t.Errorf("%d violations, want the bound %d", n, maxViolations)
	}
	bad := Message(&errdetails.ErrorInfo{Metadata: map[string]string{"k\x00": "v"}})
	if len(bad) != 1 || bad[0].Field != "metadata key" {
		t.Errorf("map key: %+v", bad)
	}
}

func TestError(t *testing.T) {
	if Error(nil) != nil {
		t.Fatal("no violations must be no error")
	}
	err := Error([]apierr.FieldViolation{{Field: "name", Description: "contains a NUL"}, {Field: "city", Description: "x"}})
	e, ok := apierr.As(err)
	if !ok || e.Kind != apierr.KindInvalidArgument || e.Reason != Reason || len(e.Violations) != 2 {
		t.Fatalf("error = %#v", err)
	}
	if !strings.HasPrefix(e.Message, "name contains a NUL") || !strings.Contains(e.Message, "1 more") {
		t.Errorf("message = %q", e.Message)
	}
}

func fields(vs []apierr.FieldViolation) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Field
	}
	return out
}
