package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/bbcmd/bbcmdtest"
	"github.com/govstackbb/marketplace/platform/grpcserver"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"

	"github.com/govstackbb/marketplace/services/scheduling"
)

func runWith(args []string, env map[string]string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, env, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsage(t *testing.T) {
	code, out, _ := runWith([]string{"-h"}, nil)
	if code != exitOK {
		t.Errorf("-h exit code %d", code)
	}
	for _, v := range []string{"serve", "migrate", "seed", "GOVSTACK_DATABASE_URL", "GOVSTACK_NATS_URL", "GOVSTACK_GRPC_ADDR",
		"GOVSTACK_LOG_LEVEL", "GOVSTACK_SHUTDOWN_TIMEOUT", "GOVSTACK_JWKS_URL", "GOVSTACK_TOKEN_ISSUER", scheduling.DefaultGRPCAddr} {
		if !strings.Contains(out, v) {
			t.Errorf("usage lacks %s", v)
		}
	}
	if code, _, errOut := runWith(nil, nil); code != exitUsage || !strings.Contains(errOut, "Usage") {
		t.Errorf("no command: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runWith([]string{"dance"}, nil); code != exitUsage || !strings.Contains(errOut, `unknown command "dance"`) {
		t.Errorf("unknown command: exit %d, stderr %q", code, errOut)
	}
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	code, _, errOut := runWith([]string{"migrate"}, map[string]string{"GOVSTACK_LOG_LEVEL": "loud"})
	if code != exitFailure || !strings.Contains(errOut, "GOVSTACK_LOG_LEVEL") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runWith([]string{"serve"}, map[string]string{})
	if code != exitFailure || !strings.Contains(errOut, "GOVSTACK_NATS_URL") {
		t.Errorf("serve without NATS: exit %d, stderr %q", code, errOut)
	}
}

// TestServeWithServesAndStops runs the BB as serve does, checks it answers health, and
// that cancelling the context stops it cleanly.
func TestServeWithServesAndStops(t *testing.T) {
	pool := pgtest.NewPool(t, scheduling.Migrations()...)
	_, js := natstest.Start(t)
	cfg := scheduling.Config{}
	cfg.GRPCAddr = "127.0.0.1:0"
	cfg.ShutdownTimeout = 5 * time.Second
	cfg.IMKeysURL = "http://127.0.0.1:1/keys" // health, all this test calls, needs no IM assertion
	deps := scheduling.Deps{Pool: pool, JetStream: js, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}

	bbcmdtest.ServesAndStops(t, func(ctx context.Context, ready func(*grpcserver.Server)) error {
		return serveWith(ctx, cfg, deps, ready)
	}, run)
}
