package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestVerifyLogCommand runs `gateway verify-log` as an operator would, against a gateway's message log whose
// checkpoints are in a NATS server that listens (in-process): a record written just before a clean stop is
// anchored (the checkpoint interval is an hour, so only the checkpoint written at shutdown can anchor it);
// the log verifies; after the tail is cut the command reports the cut and exits 1; without
// GOVSTACK_NATS_URL, or with NATS away, it refuses to report the log intact and says what to set, unless
// --no-checkpoints asks to skip them, which warns.
func TestVerifyLogCommand(t *testing.T) {
	natsURL := startNATS(t)
	useThrowawayDatabase(t)
	t.Setenv("GOVSTACK_NATS_URL", natsURL)
	t.Setenv("GOVSTACK_DATA_DIR", t.TempDir())
	t.Setenv("GOVSTACK_HTTP_ADDR", "127.0.0.1:0")
	t.Setenv("GOVSTACK_GRPC_ADDR", "127.0.0.1:0")
	t.Setenv("GOVSTACK_GATEWAY_LOG_CHECKPOINT_INTERVAL", "1h")
	pool := serveAndStop(t, 6)

	var head int64
	if err := pool.QueryRow(context.Background(), `SELECT max(head_seq) FROM im_msglog_chain WHERE kind = 'message'`).Scan(&head); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCommand("verify-log")
	if code != 0 || !strings.Contains(out, fmt.Sprintf("(seq 1..%d), checkpoint at %d", head, head)) {
		t.Fatalf("verify-log after a clean stop: exit %d, want 0 with the last record (%d) anchored\n%s%s", code, head, out, errOut)
	}

	out, errOut, code = runCommand("verify-log", "--no-checkpoints")
	if code != 0 || !strings.Contains(errOut+out, "a cut tail") || !strings.Contains(errOut+out, "cannot be detected") {
		t.Errorf("--no-checkpoints: exit %d, want 0 with a warning that a cut tail cannot be detected\n%s%s", code, out, errOut)
	}

	t.Run("without GOVSTACK_NATS_URL", func(t *testing.T) {
		t.Setenv("GOVSTACK_NATS_URL", "")
		out, errOut, code := runCommand("verify-log")
		if code == 0 || !strings.Contains(errOut, "set GOVSTACK_NATS_URL") || !strings.Contains(errOut, "--no-checkpoints") || strings.Contains(out, "OK") {
			t.Errorf("exit %d, want non-zero naming GOVSTACK_NATS_URL and --no-checkpoints\n%s%s", code, out, errOut)
		}
	})
	t.Run("NATS unreachable", func(t *testing.T) {
		t.Setenv("GOVSTACK_NATS_URL", "nats://127.0.0.1:1")
		out, errOut, code := runCommand("verify-log")
		if code == 0 || !strings.Contains(errOut, "GOVSTACK_NATS_URL") || strings.Contains(out, "OK") {
			t.Errorf("exit %d, want non-zero naming GOVSTACK_NATS_URL\n%s%s", code, out, errOut)
		}
	})
	t.Run("a NATS without the checkpoints", func(t *testing.T) {
		t.Setenv("GOVSTACK_NATS_URL", startNATS(t))
		out, errOut, code := runCommand("verify-log")
		if code == 0 || !strings.Contains(errOut, "GOVSTACK_IM_MSGLOG_CHECKPOINTS") || strings.Contains(out, "OK") {
			t.Errorf("exit %d, want non-zero naming the checkpoint stream\n%s%s", code, out, errOut)
		}
	})

	// The attacker cuts the last two records and moves the chain head back: a valid-looking chain.
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `DELETE FROM im_msglog_record r USING im_msglog_chain c
		WHERE r.chain_id = c.chain_id AND c.kind = 'message' AND r.seq > c.head_seq - 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE im_msglog_chain c SET head_seq = c.head_seq - 2,
		head_hash = (SELECT hash FROM im_msglog_record r WHERE r.chain_id = c.chain_id AND r.seq = c.head_seq - 2)
		WHERE kind = 'message'`); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runCommand("verify-log")
	want := fmt.Sprintf("truncated: the chain ends at %d", head-2)
	if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, fmt.Sprintf("records %d..%d were removed", head-1, head)) {
		t.Errorf("verify-log after the cut: exit %d, want 1 reporting %q\n%s%s", code, want, out, errOut)
	}
}

func runCommand(args ...string) (stdout, stderr string, code int) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

// serveAndStop serves the gateway (no BBs behind it) with the settings of the environment, sends it
// requests — the last one right before the stop, so its records are written only while the log drains —
// and stops it as SIGTERM does. It returns the IM database's pool.
func serveAndStop(t *testing.T, requests int) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load[gateway.Config]()
	if err != nil {
		t.Fatal(err)
	}
	pool, err := openDatabase(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	nc, err := nats.Connect(cfg.NATSURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gateway.New(ctx, cfg, gateway.Deps{Pool: pool, JetStream: js, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- g.Serve(sctx, gateway.Listeners{Main: ln}) }()
	for i := range requests {
		resp, err := http.Get(fmt.Sprintf("http://%s/no-such-path-%d", ln.Addr(), i))
		if err != nil {
			stop()
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the gateway did not stop within a minute")
	}
	var records int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM im_msglog_record WHERE direction = 'response'`).Scan(&records); err != nil {
		t.Fatal(err)
	}
	if records != requests {
		t.Fatalf("%d responses in the message log after the stop, want %d", records, requests)
	}
	return pool
}

// useThrowawayDatabase points the commands' database at a fresh one on the test server, dropped afterwards.
func useThrowawayDatabase(t *testing.T) {
	t.Helper()
	dbURL := pgtest.NewDatabase(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	saved := databaseName
	databaseName = strings.TrimPrefix(u.Path, "/")
	t.Cleanup(func() { databaseName = saved })
	t.Setenv("GOVSTACK_DATABASE_URL", pgtest.ServerURL(t))
}

// startNATS runs a NATS server with JetStream in this process, listening on a free loopback port.
func startNATS(t *testing.T) string {
	t.Helper()
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true,
		StoreDir: t.TempDir(), NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("NATS not ready within 10s")
	}
	t.Cleanup(func() {
		s.Shutdown()
		s.WaitForShutdown()
	})
	return s.ClientURL()
}
