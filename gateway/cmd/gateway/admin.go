package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/jackc/pgx/v5/pgxpool"
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

// verifyLog checks every chain of the message and audit logs with every key of the log's history, and
// against the checkpoints in JetStream when GOVSTACK_NATS_URL names the gateway's NATS.
func verifyLog(ctx context.Context, cfg gateway.Config, pool *pgxpool.Pool, out io.Writer) error {
	var js jetstream.JetStream
	if cfg.NATSURL != "" {
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		nc, err := natsbus.Connect(cctx, cfg.NATSURL, "gateway-verify-log", nil)
		if err != nil {
			return err
		}
		defer nc.Close()
		if js, err = jetstream.New(nc); err != nil {
			return err
		}
	}
	return gateway.VerifyLog(ctx, cfg, pool, js, out)
}
