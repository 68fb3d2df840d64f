package main

import (
	"context"
	"fmt"
	"io"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/jackc/pgx/v5/pgxpool"
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

// verifyLog checks every chain of the message and audit logs with the public key next to the signing key.
func verifyLog(ctx context.Context, cfg gateway.Config, pool *pgxpool.Pool, out io.Writer) error {
	return gateway.VerifyLog(ctx, cfg, pool, out)
}
