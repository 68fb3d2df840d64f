package msglog

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"
)

// Log is the gateway's message log and audit log on one Postgres pool (migrated with Migrations).
type Log struct {
	pool   *pgxpool.Pool
	key    ed25519.PrivateKey
	keyID  string
	opts   Options
	writer *Writer
}

// Open loads (or creates) the signing key in opts.KeyFile and starts a new chain for this process's writer.
// Call Run to write records.
func Open(ctx context.Context, pool *pgxpool.Pool, opts Options) (*Log, error) {
	key, err := LoadOrCreateKey(opts.KeyFile)
	if err != nil {
		return nil, err
	}
	return OpenWithKey(ctx, pool, key, opts)
}

// OpenWithKey is Open with the signing key given (tests, tools).
func OpenWithKey(ctx context.Context, pool *pgxpool.Pool, key ed25519.PrivateKey, opts Options) (*Log, error) {
	opts = opts.withDefaults()
	l := &Log{pool: pool, key: key, keyID: KeyID(key.Public().(ed25519.PublicKey)), opts: opts}
	// A new chain per process start: a writer never has to find (and trust) where a previous process left
	// off, and a crashed process's chain simply ends at its last committed record.
	chain := "msg-" + uuid.NewString()
	if _, err := pool.Exec(ctx, `INSERT INTO im_msglog_chain (chain_id, kind) VALUES ($1, 'message')`, chain); err != nil {
		return nil, fmt.Errorf("msglog: create chain: %w", err)
	}
	w, err := newWriter(l, chain)
	if err != nil {
		return nil, err
	}
	l.writer = w
	return l, nil
}

// Writer returns the writer the middleware and interceptors append to.
func (l *Log) Writer() *Writer { return l.writer }

// PublicKey is the key that verifies this log's signatures (also published as KeyFile+".pub").
func (l *Log) PublicKey() ed25519.PublicKey { return l.key.Public().(ed25519.PublicKey) }

// Run writes appended records until ctx ends, then drains the queue (bounded by DrainTimeout). It also
// purges records older than the retention once an hour.
func (l *Log) Run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return l.writer.Run(gctx) })
	if l.opts.Retention > 0 {
		g.Go(func() error { return l.runRetention(gctx, time.Hour) })
	}
	err := g.Wait()
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func (l *Log) runRetention(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := l.Purge(ctx, time.Now().Add(-l.opts.Retention)); err != nil && ctx.Err() == nil {
			l.opts.Logger.ErrorContext(ctx, "message log retention failed; retrying later", "error", err)
		} else if n > 0 {
			l.opts.Logger.InfoContext(ctx, "message log retention purged old records", "records", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
