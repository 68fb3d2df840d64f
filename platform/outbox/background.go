package outbox

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"github.com/govstackbb/marketplace/platform/natsbus"
)

// RunWithRelay is a BB's background work: it makes sure the BB's event stream exists (natsbus.EnsureStream),
// then runs the outbox relay beside the BB's own workers until ctx is done (nil) or one of them fails (its
// error; the others are stopped). Stopped before the stream was made, it returns nil: nothing was started.
func RunWithRelay(ctx context.Context, pool *pgxpool.Pool, js jetstream.JetStream, bb string, log *slog.Logger,
	workers ...func(context.Context) error) error {
	if _, err := natsbus.EnsureStream(ctx, js, bb); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return NewRelay(pool, js, RelayOptions{Logger: log}).Run(gctx) })
	for _, w := range workers {
		g.Go(func() error { return w(gctx) })
	}
	return g.Wait()
}
