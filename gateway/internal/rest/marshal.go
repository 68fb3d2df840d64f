package rest

import (
	"bytes"
	"encoding/json"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/encoding/protojson"
)

// stableJSON is grpc-gateway's protojson marshaler with compact, stable output. protojson deliberately
// varies its whitespace between builds (so nobody depends on it); integrators diff and log our responses,
// and the same answer should look the same from one release to the next.
type stableJSON struct{ runtime.JSONPb }

func newStableJSON() *stableJSON {
	return &stableJSON{runtime.JSONPb{
		// Zero values are sent: GovStack clients expect e.g. "count": 0 rather than a missing field.
		MarshalOptions: protojson.MarshalOptions{EmitUnpopulated: true, UseProtoNames: false},
		// Unknown fields are dropped by the check middleware before a body gets here (a tolerant reader,
		// check.go); discarding them here too keeps a body that bypassed it (none should) from failing.
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: true},
	}}
}

// Marshal encodes v as JSONPb does, gives enum values and times their GovStack spelling (jsonout.go), and
// removes the insignificant whitespace.
func (m *stableJSON) Marshal(v any) ([]byte, error) {
	b, err := m.JSONPb.Marshal(v)
	if err != nil {
		return nil, err
	}
	b = spellResponse(v, b)
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return b, nil // not JSON we can compact (cannot happen with protojson): send it as it is
	}
	return out.Bytes(), nil
}
