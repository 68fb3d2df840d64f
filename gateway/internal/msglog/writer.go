package msglog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
)

// Writer chains, signs and stores records off the request path. Append puts a record on a bounded queue;
// Run drains it in batches, each batch one transaction (COPY + chain head update).
//
// When the queue is full Append waits at most Options.AppendWait, then drops the record: the request path
// must not stall because the database is slow or down. A drop is never silent: it is counted
// (govstack_im_msglog_dropped_total), logged, and recorded in the signed chain itself, because the next
// record written carries the number of records dropped before it (Record.Dropped), which Verify reports.
type Writer struct {
	log     *Log
	chain   string
	queue   chan Record
	closed  atomic.Bool
	pending atomic.Int64 // drops not yet recorded in the chain
	failing atomic.Bool  // the last write failed and has not succeeded since: the log is not being written

	// Owned by Run's goroutine.
	headSeq  int64
	headHash []byte
	lastTime time.Time
	anchor   *anchor // checkpoints of this chain's head

	m writerMetrics
}

type writerMetrics struct {
	written, dropped, errors, rejected prometheus.Counter
	stalled                            prometheus.GaugeFunc
	latency                            prometheus.Histogram
	queue                              prometheus.GaugeFunc
}

func newWriter(l *Log, chain string) (*Writer, error) {
	w := &Writer{log: l, chain: chain, queue: make(chan Record, l.opts.QueueSize), headHash: zeroHash}
	w.anchor = &anchor{log: l, chain: chain}
	w.m = writerMetrics{
		written: prometheus.NewCounter(prometheus.CounterOpts{Name: "govstack_im_msglog_written_total",
			Help: "Message log records written to Postgres."}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{Name: "govstack_im_msglog_dropped_total",
			Help: "Message log records dropped because the writer's queue stayed full (each is also noted in the chain)."}),
		errors: prometheus.NewCounter(prometheus.CounterOpts{Name: "govstack_im_msglog_write_errors_total",
			Help: "Failed message log batch writes (retried)."}),
		rejected: prometheus.NewCounter(prometheus.CounterOpts{Name: "govstack_im_msglog_rejected_total",
			Help: "Message log records Postgres refused outright; each is set aside, logged, and noted in the chain as dropped."}),
		stalled: prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "govstack_im_msglog_stalled",
			Help: "1 while the message log cannot be written (the gateway is then not ready); alert on it."},
			func() float64 { return float64(stalledWriters.Load()) }),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "govstack_im_msglog_write_seconds",
			Help: "Time to chain, sign and store one batch of message log records.", Buckets: prometheus.DefBuckets}),
		queue: prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "govstack_im_msglog_queue_length",
			Help: "Message log records waiting to be written."}, func() float64 { return float64(len(w.queue)) }),
	}
	if reg := l.opts.Registerer; reg != nil {
		var err error
		if w.m.written, err = register(reg, w.m.written); err != nil {
			return nil, err
		}
		if w.m.dropped, err = register(reg, w.m.dropped); err != nil {
			return nil, err
		}
		if w.m.errors, err = register(reg, w.m.errors); err != nil {
			return nil, err
		}
		if w.m.rejected, err = register(reg, w.m.rejected); err != nil {
			return nil, err
		}
		if w.m.stalled, err = register(reg, w.m.stalled); err != nil {
			return nil, err
		}
		if w.m.latency, err = register(reg, w.m.latency); err != nil {
			return nil, err
		}
		// A second writer in one process (govstack dev, tests) keeps the first one's queue gauge.
		if _, err = register(reg, w.m.queue); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// register registers c, or returns the collector already registered under its name (several gateways in
// one process share the instruments instead of failing).
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing, nil
		}
	}
	return c, err
}

// Chain is the id of this writer's chain.
func (w *Writer) Chain() string { return w.chain }

// Append queues rec for writing. It returns at once unless the queue is full, and then after at most
// Options.AppendWait; it reports whether the record was queued.
func (w *Writer) Append(rec Record) bool {
	if w.closed.Load() {
		w.drop("the message log is shut down")
		return false
	}
	select {
	case w.queue <- rec:
		return true
	default:
	}
	t := time.NewTimer(w.log.opts.AppendWait)
	defer t.Stop()
	select {
	case w.queue <- rec:
		return true
	case <-t.C:
		w.drop("the message log queue is full")
		return false
	}
}

func (w *Writer) drop(reason string) {
	w.m.dropped.Inc()
	// Log the first drop of a run of drops, not each one: a stalled database would flood the log.
	if w.pending.Add(1) == 1 {
		w.log.opts.Logger.Error("message log record dropped; further drops are counted in govstack_im_msglog_dropped_total",
			"reason", reason, "chain", w.chain)
	}
}

// noteEvery is how soon drops are written into the chain when no request comes to carry them.
const noteEvery = time.Second

// Run writes queued records until ctx ends, then writes what is still queued (bounded by DrainTimeout).
// Appends after that are dropped. Drops (and records set aside) that no record has carried into the chain
// within noteEvery are written as a note record of their own, so verify-log shows them even when the
// traffic that caused them has stopped.
func (w *Writer) Run(ctx context.Context) error {
	defer w.setFailing(false) // a stopped writer no longer counts in govstack_im_msglog_stalled
	batch := make([]Record, 0, w.log.opts.BatchSize)
	tick := time.NewTicker(noteEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return w.drain(nil)
		case rec := <-w.queue:
			batch = w.fill(append(batch[:0], rec))
		case <-tick.C:
			w.anchor.maybe(ctx, w.headSeq, w.headHash, w.lastTime, false)
			if w.pending.Load() == 0 {
				continue
			}
			batch = append(batch[:0], dropNote())
		}
		if !w.writeRetrying(ctx, batch) {
			return w.drain(batch)
		}
		w.anchor.maybe(ctx, w.headSeq, w.headHash, w.lastTime, false)
	}
}

// dropNote is the record that carries drops into the chain when nothing else does; write fills Dropped.
func dropNote() Record {
	return Record{MessageID: uuid.NewString(), Direction: Note, Endpoint: "msglog.dropped"}
}

// fill adds what is already queued, up to a batch.
func (w *Writer) fill(batch []Record) []Record {
	for len(batch) < cap(batch) {
		select {
		case rec := <-w.queue:
			batch = append(batch, rec)
		default:
			return batch
		}
	}
	return batch
}

// drain closes the writer and writes first (the batch Run was holding, if any) and then what is queued.
func (w *Writer) drain(first []Record) error {
	w.closed.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), w.log.opts.DrainTimeout)
	defer cancel()
	batch := append(make([]Record, 0, w.log.opts.BatchSize), first...)
	noted := false
	for {
		batch = w.fill(batch)
		if len(batch) == 0 && w.pending.Load() > 0 && !noted {
			batch, noted = append(batch, dropNote()), true // the last word of the chain says what was lost
		}
		if len(batch) == 0 {
			w.anchor.maybe(ctx, w.headSeq, w.headHash, w.lastTime, true) // the chain's last word, anchored
			return nil
		}
		if !w.writeRetrying(ctx, batch) {
			for range len(batch) + len(w.queue) {
				w.drop("the message log could not be written before shutdown")
			}
			return fmt.Errorf("msglog: records still queued at shutdown could not be written: %w", ctx.Err())
		}
		batch = batch[:0]
	}
}

// writeTimeout bounds one batch write; a write in flight finishes even when Run's context ends.
const writeTimeout = 30 * time.Second

// Ready reports an error while the log cannot be written (the last write failed), or while its queue is so
// full that records are about to be dropped; the gateway's /readyz includes it.
func (w *Writer) Ready() error {
	switch {
	case w.failing.Load():
		return errors.New("the message log cannot be written")
	case len(w.queue) >= cap(w.queue)*9/10:
		return errors.New("the message log's queue is nearly full")
	}
	return nil
}

// stalledWriters counts the writers of this process that cannot write: govstack_im_msglog_stalled. A
// gateway has one writer, so the gauge is 0 or 1; several gateways in one process (tests) share the gauge,
// which then says how many of them are stalled instead of whichever wrote last.
var stalledWriters atomic.Int64

func (w *Writer) setFailing(failing bool) {
	if w.failing.Swap(failing) == failing {
		return
	}
	if failing {
		stalledWriters.Add(1)
	} else {
		stalledWriters.Add(-1)
	}
}

// writeRetrying writes batch, retrying temporary failures with backoff while ctx lives (the database may be
// restarting, the log's table locked, its privilege revoked). When Postgres refuses the batch with an error
// that may be a record's fault, it is written record by record, so that one record it will not store is set
// aside (setAside) instead of blocking every record behind it.
func (w *Writer) writeRetrying(ctx context.Context, batch []Record) bool {
	backoff := 50 * time.Millisecond
	for {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
		err := w.write(wctx, batch)
		cancel()
		if err == nil {
			w.setFailing(false)
			return true
		}
		w.m.errors.Inc()
		if permanent(err) {
			if len(batch) > 1 {
				return w.writeApart(ctx, batch)
			}
			if w.setAside(ctx, batch[0], err) {
				return true
			}
		}
		w.setFailing(true)
		w.log.opts.Logger.Error("message log write failed; retrying (the gateway is not ready until it is written)",
			"error", err, "records", len(batch))
		select {
		case <-ctx.Done():
			return false
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// maxBackoff caps the wait between retries of a failed write. A stalled log keeps the gateway not ready, so
// the wait is also how late readiness can return after the database does: at most about a second (make
// chaos: Postgres back, the BBs answering within a fraction of a second, /readyz lagged by up to 5 s with
// the former cap). A retry a second while the database is away costs nothing worth saving.
const maxBackoff = time.Second

// writeApart writes each record of a refused batch on its own.
func (w *Writer) writeApart(ctx context.Context, batch []Record) bool {
	for i := range batch {
		if !w.writeRetrying(ctx, batch[i:i+1]) {
			return false
		}
	}
	return true
}

// setAside handles a record Postgres refused even alone. Whether the record is at fault or the log is (a
// trigger or constraint that refuses every record looks just the same) is told by writing, in the record's
// place, the note that a record was set aside: when the note is written, the record is set aside — counted,
// logged by message id, and in the chain as a dropped record, so verify-log shows the gap; the records
// around it are written. When the note is refused too, nothing is set aside: the caller retries the record
// as it would any temporary failure, and the writer is stalled meanwhile.
func (w *Writer) setAside(ctx context.Context, rec Record, refused error) bool {
	w.pending.Add(1)
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeTimeout)
	defer cancel()
	if err := w.write(wctx, []Record{dropNote()}); err != nil {
		w.pending.Add(-1) // write gave the drops back; the record is not dropped after all
		return false
	}
	w.setFailing(false)
	w.m.rejected.Inc()
	w.log.opts.Logger.Error("message log record refused by Postgres; set aside and noted in the chain as dropped",
		"message_id", rec.MessageID, "direction", string(rec.Direction), "chain", w.chain, "error", refused)
	return true
}

// write chains and signs batch after the current head and stores it in one transaction. The head moves only
// when the transaction commits, so a failed write is retried from the same place.
func (w *Writer) write(ctx context.Context, batch []Record) error {
	start := time.Now()
	seq, prev, last := w.headSeq, w.headHash, w.lastTime
	dropped := w.pending.Swap(0)
	for i := range batch {
		r := &batch[i]
		r.makeStorable()
		seq++
		// logged_at never goes backwards within a chain, so retention can purge a prefix by time.
		last = maxTime(last, time.Now())
		r.LoggedAt = last
		r.Dropped = 0
		if i == 0 {
			r.Dropped = dropped
		}
		fillTimes(r, last)
		link(r, w.chain, seq, prev, w.log.keyID)
		prev = r.Hash
	}
	signAll(batch, w.log.key)
	tx, err := w.log.pool.Begin(ctx)
	if err != nil {
		w.pending.Add(dropped)
		return err
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	if err := insertRecords(ctx, tx, w.headSeq, batch); err != nil {
		w.pending.Add(dropped)
		return err
	}
	if err := tx.Commit(ctx); err != nil && !w.committed(seq, prev) {
		w.pending.Add(dropped)
		return err
	}
	w.headSeq, w.headHash, w.lastTime = seq, prev, last
	w.m.written.Add(float64(len(batch)))
	w.m.latency.Observe(time.Since(start).Seconds())
	return nil
}

// committed tells whether a commit that reported an error (a lost connection) went through after all: then
// the chain head is where the batch put it, and writing the batch again would duplicate it.
func (w *Writer) committed(seq int64, hash []byte) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var headSeq int64
	var headHash []byte
	err := w.log.pool.QueryRow(ctx, `SELECT head_seq, head_hash FROM im_msglog_chain WHERE chain_id = $1`, w.chain).
		Scan(&headSeq, &headHash)
	return err == nil && headSeq == seq && bytes.Equal(headHash, hash)
}

func fillTimes(r *Record, now time.Time) {
	if r.Started.IsZero() {
		r.Started = now
	}
	if r.Finished.IsZero() {
		r.Finished = r.Started
	}
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
