package rest

import (
	"bytes"
	"testing"

	"google.golang.org/protobuf/types/known/structpb"
)

func TestStableJSONIsCompact(t *testing.T) {
	v, err := structpb.NewStruct(map[string]any{"count": 1, "results": []any{map[string]any{"a": "b c"}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := newStableJSON().Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := []byte(`{"count":1,"results":[{"a":"b c"}]}`); !bytes.Equal(got, want) {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}
