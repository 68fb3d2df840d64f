package msglog

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"
)

// Log is the gateway's message log and audit log on one Postgres pool (migrated with Migrations).
type Log struct {
	pool   *pgxpool.Pool
	key    ed25519.PrivateKey
	keyID  string
	opts   Options
	writer *Writer

	checkpointErrors prometheus.Counter
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
	l := &Log{pool: pool, key: key, keyID: KeyID(key.Public().(ed25519.PublicKey)), opts: opts,
		checkpointErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "govstack_im_msglog_checkpoint_errors_total",
			Help: "Message log checkpoints that could not be published (retried at the next tick)."})}
	if reg := opts.Registerer; reg != nil {
		var err error
		if l.checkpointErrors, err = register(reg, l.checkpointErrors); err != nil {
			return nil, err
		}
	}
	if opts.Keyring != "" {
		if err := RecordKey(opts.Keyring, l.PublicKey(), time.Now().UTC()); err != nil {
			// An operator's key on a read-only mount has no keyring beside it: verify-log then takes the keys
			// from GOVSTACK_GATEWAY_LOG_VERIFY_KEYS. Say so once, at start.
			opts.Logger.Warn("message log keyring not written; give verify-log every public key of the log's history",
				"keyring", opts.Keyring, "error", err)
		}
	}
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
	if l.opts.Checkpoints != nil {
		g.Go(func() error { return l.runAuditAnchor(gctx) })
	}
	if l.opts.Retention > 0 {
		g.Go(func() error { return l.runRetention(gctx, time.Hour) })
	}
	err := g.Wait()
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// runAuditAnchor checkpoints the shared audit chain, whose head any replica may move: it reads the head from
// the database, and never anchors a head below one it anchored before (or that the stream already holds) —
// a head that moved back is reported, and the older, higher checkpoint stays the one verify-log checks.
func (l *Log) runAuditAnchor(ctx context.Context) error {
	a := &anchor{log: l, chain: auditChain}
	if latest, err := l.opts.Checkpoints.Latest(ctx); err == nil {
		a.lastSeq = latest[auditChain].Seq
	}
	l.anchorAudit(ctx, a) // at start too: admin changes made while no gateway ran are anchored at once
	t := time.NewTicker(l.opts.CheckpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			// The last word: anchor the head as it is at shutdown, as the message writer does its own.
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			l.anchorAudit(sctx, a)
			cancel()
			return nil
		case <-t.C:
		}
		l.anchorAudit(ctx, a)
	}
}

// anchorAudit checkpoints the audit chain's head as the database has it now.
func (l *Log) anchorAudit(ctx context.Context, a *anchor) {
	var seq int64
	var hash []byte
	var at *time.Time
	err := l.pool.QueryRow(ctx, `SELECT c.head_seq, c.head_hash,
			(SELECT logged_at FROM im_msglog_record r WHERE r.chain_id = c.chain_id AND r.seq = c.head_seq)
		FROM im_msglog_chain c WHERE c.chain_id = $1`, auditChain).Scan(&seq, &hash, &at)
	switch {
	case err != nil:
		return // the database is away; the writer's readiness says so
	case seq < a.lastSeq:
		l.opts.Logger.Error("the audit chain's head moved back: records were removed from the audit log",
			"head", seq, "anchored", a.lastSeq)
	case at != nil:
		a.maybe(ctx, seq, hash, *at, true)
	}
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
