package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// issueKey registers client and prints a new API key for it, optionally making it an admin. It works on the
// database directly, so an operator can create the first admin before anyone can call the configuration API.
func issueKey(ctx context.Context, cfg gateway.Config, pool *pgxpool.Pool, client string, admin bool, out io.Writer) error {
	c, err := imident.Parse(client)
	if err != nil {
		return err
	}
	key, id, err := gateway.IssueAPIKey(ctx, cfg, pool, c, admin)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "client:  %s\nkey id:  %s\napi key: %s\n\nSend it as the X-GovStack-Api-Key header. It is shown once; it is stored hashed.\n", c, id, key)
	return nil
}

// verifyLogArgs reads verify-log's flags: --no-checkpoints, or none.
func verifyLogArgs(args []string) (skipCheckpoints, ok bool) {
	switch {
	case len(args) == 0:
		return false, true
	case len(args) == 1 && (args[0] == "--no-checkpoints" || args[0] == "-no-checkpoints"):
		return true, true
	}
	return false, false
}

// checkpointWarning is what verify-log --no-checkpoints says before it starts.
const checkpointWarning = "gateway verify-log: WARNING: --no-checkpoints: the chains are checked without their checkpoints, " +
	"so a cut tail (the last records deleted and the chain head moved back) cannot be detected\n"

// verifyLog checks every chain of the message and audit logs with every key of the log's history, and
// against the checkpoints in the JetStream of GOVSTACK_NATS_URL; skipCheckpoints (--no-checkpoints, which
// the operator must ask for) checks the chains alone.
func verifyLog(ctx context.Context, cfg gateway.Config, pool *pgxpool.Pool, skipCheckpoints bool, out io.Writer) error {
	if skipCheckpoints {
		return gateway.VerifyLogWithoutCheckpoints(ctx, cfg, pool, out)
	}
	nc, err := nats.Connect(cfg.NATSURL, nats.Name("gateway-verify-log"), nats.Timeout(10*time.Second))
	if err != nil {
		return fmt.Errorf("verify-log cannot reach NATS at %s (GOVSTACK_NATS_URL) to read the message log's checkpoints, "+
			"without which a cut tail cannot be seen: %w (`gateway verify-log --no-checkpoints` checks the chains alone)",
			redactNATS(cfg.NATSURL), err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	return gateway.VerifyLog(ctx, cfg, pool, js, out)
}

// redactNATS hides credentials in a NATS URL.
func redactNATS(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "the configured URL"
	}
	u.User = nil
	return u.String()
}
