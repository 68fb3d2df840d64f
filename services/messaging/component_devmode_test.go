package messaging_test

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc/metadata"

	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"

	"github.com/govstackbb/marketplace/services/messaging"
)

// TestShortAPIKeysOnlyInDevelopmentMode: a newcomer's "apiKey: test" works on a development machine
// (GOVSTACK_MESSAGING_DEV_MODE, which govstack dev sets); in production the BB does not start with it, and
// the error names the setting, the minimum and how to turn on development mode.
func TestShortAPIKeysOnlyInDevelopmentMode(t *testing.T) {
	t.Parallel()
	cfg := testConfig("127.0.0.1:1")
	cfg.APIKeys = "demo=test"
	_, js := natstest.Start(t)
	for _, err := range []error{cfg.Validate(), startErr(messaging.New(cfg, messaging.Deps{Pool: pgtest.NewPool(t, messaging.Migrations()...), JetStream: js}))} {
		if err == nil || !strings.Contains(err.Error(), "GOVSTACK_MESSAGING_API_KEYS") || !strings.Contains(err.Error(), "at least 16") ||
			!strings.Contains(err.Error(), "GOVSTACK_MESSAGING_DEV_MODE=true") {
			t.Fatalf("a short key in production: %v", err)
		}
	}

	e := start(t, func(c *messaging.Config, _ *messaging.Deps) { c.APIKeys, c.DevMode = "demo=test", true })
	ctx := metadata.AppendToOutgoingContext(context.Background(), messaging.APIKeyMetadata, "test")
	if r, err := e.msg.SendEmailSingle(ctx, single("newcomer@example.org", "Hello")); err != nil || r.GetAccepted() != 1 {
		t.Fatalf("the short key on a development machine: %v %v", r, err)
	}
}

// startErr is the error of a constructor's result.
func startErr(_ *messaging.Service, err error) error { return err }
