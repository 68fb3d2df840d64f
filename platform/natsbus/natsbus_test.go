package natsbus_test

import (
	"context"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func TestNames(t *testing.T) {
	if got := natsbus.StreamName("registries"); got != "GOVSTACK_REGISTRIES" {
		t.Errorf("StreamName = %q", got)
	}
	if got := natsbus.Subject("registries", "record", "created"); got != "govstack.registries.v1.record.created" {
		t.Errorf("Subject = %q", got)
	}
}

func TestEnsureStream(t *testing.T) {
	ctx := context.Background()
	_, js := natstest.Start(t)
	for range 2 { // idempotent
		if _, err := natsbus.EnsureStream(ctx, js, "registries"); err != nil {
			t.Fatal(err)
		}
	}
	s, err := js.Stream(ctx, "GOVSTACK_REGISTRIES")
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.CachedInfo().Config
	if cfg.Storage != jetstream.FileStorage || cfg.Duplicates != 2*time.Minute ||
		len(cfg.Subjects) != 1 || cfg.Subjects[0] != "govstack.registries.v1.>" {
		t.Errorf("unexpected stream config %+v", cfg)
	}
	// The duplicate window is what makes the outbox relay's retries harmless.
	subject := natsbus.Subject("registries", "record", "created")
	for range 2 {
		if _, err := js.Publish(ctx, subject, []byte("{}"), jetstream.WithMsgID("same-id")); err != nil {
			t.Fatal(err)
		}
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 1 {
		t.Errorf("stream holds %d messages, want 1 (deduplicated)", info.State.Msgs)
	}
}

func TestEmbeddedKeepsDataAcrossRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e, err := natsbus.StartEmbedded(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := jetstream.New(e.Conn)
	if _, err := natsbus.EnsureStream(ctx, js, "payments"); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, natsbus.Subject("payments", "payment", "settled"), []byte("{}")); err != nil {
		t.Fatal(err)
	}
	e.Shutdown()

	e, err = natsbus.StartEmbedded(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Shutdown()
	js, _ = jetstream.New(e.Conn)
	s, err := js.Stream(ctx, natsbus.StreamName("payments"))
	if err != nil {
		t.Fatal(err)
	}
	if n := s.CachedInfo().State.Msgs; n != 1 {
		t.Errorf("after restart the stream holds %d messages, want 1", n)
	}
}

func TestConnectGivesUpWithContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err := natsbus.Connect(ctx, "nats://127.0.0.1:1", "test", nil)
	if err == nil || !strings.Contains(err.Error(), "GOVSTACK_NATS_URL") {
		t.Fatalf("Connect = %v, want an error naming GOVSTACK_NATS_URL", err)
	}
}

// TestConnectWaitsForServer starts Connect before the server exists: a service may start before NATS.
func TestConnectWaitsForServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	type result struct {
		nc  *nats.Conn
		err error
	}
	done := make(chan result, 1)
	go func() {
		nc, err := natsbus.Connect(ctx, "nats://127.0.0.1:"+strconv.Itoa(port), "test", nil)
		done <- result{nc, err}
	}()

	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	defer srv.Shutdown()
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	defer r.nc.Close()
	if !r.nc.IsConnected() {
		t.Error("not connected")
	}
}

// Drain flushes what was published and closes the connection; a second Drain of a closed one is no error.
func TestDrainFlushesAndCloses(t *testing.T) {
	e, err := natsbus.StartEmbedded(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Server.Shutdown()
	var handled atomic.Int64
	if _, err := e.Conn.Subscribe("drain.test", func(*nats.Msg) { handled.Add(1) }); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if err := e.Conn.Publish("drain.test", []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	if err := natsbus.Drain(e.Conn, 5*time.Second); err != nil {
		t.Fatalf("Drain = %v", err)
	}
	if !e.Conn.IsClosed() {
		t.Error("the connection is still open after Drain")
	}
	if n := handled.Load(); n != 100 {
		t.Errorf("%d of 100 published messages were handled before the close", n)
	}
	if err := natsbus.Drain(e.Conn, time.Second); err != nil {
		t.Errorf("Drain of a closed connection = %v", err)
	}
}

// A stream already as EnsureStream would set it is not updated again (several processes ensure one stream
// at start); one with other settings is brought back to them. The server's update advisories tell: the
// first one seen is the test's own update, not a needless one from EnsureStream.
func TestEnsureStreamUpdatesOnlyWhatDiffers(t *testing.T) {
	ctx := context.Background()
	nc, js := natstest.Start(t)
	if _, err := natsbus.EnsureStream(ctx, js, "registries"); err != nil {
		t.Fatal(err)
	}
	updates, err := nc.SubscribeSync("$JS.EVENT.ADVISORY.STREAM.UPDATED.GOVSTACK_REGISTRIES")
	if err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := natsbus.EnsureStream(ctx, js, "registries"); err != nil {
		t.Fatal(err)
	}
	s, _ := js.Stream(ctx, "GOVSTACK_REGISTRIES")
	changed := s.CachedInfo().Config
	changed.Duplicates = time.Second
	ours := time.Now() // the embedded server stamps its advisories with this process's clock
	if _, err := js.UpdateStream(ctx, changed); err != nil {
		t.Fatal(err)
	}
	first, err := updates.NextMsg(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var advisory struct{ Timestamp time.Time }
	if err := json.Unmarshal(first.Data, &advisory); err != nil {
		t.Fatal(err)
	}
	if advisory.Timestamp.Before(ours) {
		t.Fatalf("EnsureStream updated a stream that was as it should be: %s", first.Data)
	}
	if _, err := natsbus.EnsureStream(ctx, js, "registries"); err != nil {
		t.Fatal(err)
	}
	if s, _ = js.Stream(ctx, "GOVSTACK_REGISTRIES"); s.CachedInfo().Config.Duplicates != 2*time.Minute {
		t.Errorf("the changed stream was not brought back: %+v", s.CachedInfo().Config)
	}
}
