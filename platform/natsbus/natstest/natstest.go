// Package natstest starts an in-process NATS server with JetStream for a test; no mocks, no ports.
package natstest

import (
	"testing"

	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Start runs an embedded server storing into t.TempDir() and stops it when the test ends.
func Start(t testing.TB) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	e, err := natsbus.StartEmbedded(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Shutdown)
	js, err := jetstream.New(e.Conn)
	if err != nil {
		t.Fatal(err)
	}
	return e.Conn, js
}
