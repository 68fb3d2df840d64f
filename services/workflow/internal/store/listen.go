package store

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ListenJobs calls created with the job types other transactions (on any replica) create jobs of, as they
// commit (NOTIFY workflow_jobs), until ctx is done. Waiting activations are woken by it; a lost connection
// is taken again after a pause, and meanwhile activations fall back to their poll bound.
func ListenJobs(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger, created func(types ...string)) error {
	for ctx.Err() == nil {
		conn, err := listen(ctx, pool)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("job notifications: cannot LISTEN; activations poll meanwhile", "error", err.Error())
			}
			pause(ctx, 2*time.Second)
			continue
		}
		for {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				break
			}
			created(n.Payload)
		}
		_ = conn.Close(context.Background())
	}
	return nil
}

// listen takes a connection out of the pool (a connection with a LISTEN must not serve others) and listens.
func listen(ctx context.Context, pool *pgxpool.Pool) (*pgx.Conn, error) {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	conn := c.Hijack()
	if _, err := conn.Exec(ctx, "LISTEN "+jobChannel); err != nil {
		_ = conn.Close(context.Background())
		return nil, err
	}
	return conn, nil
}

func pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
