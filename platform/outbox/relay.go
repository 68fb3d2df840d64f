package outbox

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
)

// RelayOptions tune a Relay; zero values pick the defaults.
type RelayOptions struct {
	BatchSize      int           // rows per pass; default 100
	PollInterval   time.Duration // longest wait between passes when no NOTIFY arrives; default 1s
	PublishTimeout time.Duration // how long a pass waits for JetStream's acks; default 10s
	// Retention is how long published rows are kept (for operators tracing an event) before Run deletes
	// them; default 7 days, negative keeps them forever.
	Retention time.Duration
	Logger    *slog.Logger // default slog.Default()
}

// Relay publishes committed outbox rows to JetStream. Run one per replica; they share the work.
type Relay struct {
	pool *pgxpool.Pool
	js   jetstream.JetStream
	opts RelayOptions
	log  *slog.Logger
}

// NewRelay returns a relay reading pool's outbox table and publishing with js. The stream covering the
// events' subjects must exist (natsbus.EnsureStream).
func NewRelay(pool *pgxpool.Pool, js jetstream.JetStream, o RelayOptions) *Relay {
	if o.BatchSize <= 0 {
		o.BatchSize = 100
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.PublishTimeout <= 0 {
		o.PublishTimeout = 10 * time.Second
	}
	if o.Retention == 0 {
		o.Retention = 7 * 24 * time.Hour
	}
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Relay{pool: pool, js: js, opts: o, log: log.With("component", "outbox-relay")}
}

// Run publishes pending events until ctx is done, then returns nil. It makes a pass whenever a transaction
// that added events commits (LISTEN outbox), at least every PollInterval (a missed notification costs at
// most that), and immediately again while passes come back full. Failed passes are retried with backoff.
// Every few minutes it also deletes published rows past the retention.
func (r *Relay) Run(ctx context.Context) error {
	l := &listener{pool: r.pool, log: r.log}
	defer l.close()
	l.listen(ctx) // before the first pass, so no commit falls between the pass and the LISTEN
	failures := 0
	var lastPurge time.Time
	for ctx.Err() == nil {
		r.maybePurge(ctx, &lastPurge)
		n, err := r.PublishPending(ctx)
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			failures++
			wait := min(100*time.Millisecond<<min(failures-1, 10), 10*time.Second)
			r.log.WarnContext(ctx, "outbox relay pass failed; retrying", "error", err, "published", n, "retry_in", wait)
			sleep(ctx, wait)
			continue
		}
		failures = 0
		if n > 0 {
			r.log.DebugContext(ctx, "outbox relay published events", "count", n)
		}
		if n < r.opts.BatchSize {
			l.wait(ctx, r.opts.PollInterval)
		}
	}
	return nil
}

// listener holds a connection that LISTENs on the outbox channel. It is taken out of the pool (hijacked)
// because a connection with a LISTEN must not be handed to other users.
type listener struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	conn *pgx.Conn
}

// wait returns after a notification, after d, or when ctx is done. Without a connection it just sleeps;
// polling keeps the relay correct while Postgres is away.
func (l *listener) wait(ctx context.Context, d time.Duration) {
	if l.conn == nil {
		if !l.listen(ctx) {
			sleep(ctx, d)
		}
		// Return at once after a new LISTEN: commits before it sent no notification we could see, so the
		// caller's next pass must look for them.
		return
	}
	wctx, cancel := context.WithTimeout(ctx, d)
	_, err := l.conn.WaitForNotification(wctx)
	cancel()
	if err != nil {
		if wctx.Err() == nil { // not our timeout: the connection broke
			l.log.WarnContext(ctx, "outbox relay lost its LISTEN connection; polling", "error", err)
			l.close()
		}
		return
	}
	// One pass serves every commit so far: swallow notifications already buffered, or a burst of N commits
	// would cost N passes.
	// The short deadline covers the whole drain, so a steady stream of commits cannot keep the relay here.
	dctx, cancel := context.WithTimeout(ctx, time.Millisecond)
	defer cancel()
	for {
		if _, err := l.conn.WaitForNotification(dctx); err != nil {
			if dctx.Err() == nil {
				l.close()
			}
			return
		}
	}
}

func (l *listener) listen(ctx context.Context) bool {
	c, err := l.pool.Acquire(ctx)
	if err != nil {
		return false
	}
	conn := c.Hijack()
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		l.log.WarnContext(ctx, "outbox relay cannot LISTEN; polling", "error", err)
		_ = conn.Close(context.WithoutCancel(ctx))
		return false
	}
	l.conn = conn
	return true
}

func (l *listener) close() {
	if l.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = l.conn.Close(ctx)
		l.conn = nil
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
