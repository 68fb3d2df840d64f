package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

// A run of failed activations is logged when it starts (info), once as a warning when it has lasted
// outageWarning, and when it ends — never once per retry.
func TestAnOutageIsLoggedWhenItStartsLastsAndEnds(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	var o outage
	down := errors.New("rpc error: code = Unavailable")
	for range 3 {
		o.failed(log, "procurement-award", down)
	}
	o.recovered(log, "procurement-award")
	o.recovered(log, "procurement-award") // no outage: nothing to say
	o.failed(log, "procurement-award", down)
	o.since = o.since.Add(-outageWarning) // the outage has lasted outageWarning
	o.failed(log, "procurement-award", down)
	o.failed(log, "procurement-award", down)

	var got []string
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var line struct{ Level, Msg string }
		if err := json.Unmarshal([]byte(l), &line); err != nil {
			t.Fatal(err)
		}
		got = append(got, line.Level+" "+line.Msg)
	}
	warning := "WARN cannot activate jobs through the IM for " + outageWarning.String() + ": is Workflow or the IM down?"
	want := []string{"INFO cannot activate jobs through the IM; retrying with backoff", "INFO activating jobs again",
		"INFO cannot activate jobs through the IM; retrying with backoff", warning}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("logged:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
