package railsim

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
)

// delivery is one callback to send.
type delivery struct {
	url, correlationID string
	body               []byte
}

// dispatcher sends callbacks from a queue with a few workers, so settling never waits on the receiver.
type dispatcher struct {
	client  *http.Client
	headers http.Header // sent with every callback (the sender's identity)
	log     *slog.Logger

	mu          sync.Mutex
	cond        *sync.Cond
	queue       []delivery
	closed      bool
	outstanding int // queued, scheduled for later, or being sent
	counts      CallbackTotals
	workers     sync.WaitGroup
}

func newDispatcher(client *http.Client, workers int, headers http.Header, log *slog.Logger) *dispatcher {
	d := &dispatcher{client: client, headers: headers, log: log}
	d.cond = sync.NewCond(&d.mu)
	for range workers {
		d.workers.Add(1)
		go d.work()
	}
	return d
}

// sendCallback sends t's result to its callback URL — or loses it, sends it twice, or sends it late, as
// the seeded faults decide. Sim.mu is held: the body is a consistent picture of t.
func (s *Sim) sendCallback(t *txn) {
	var body any = s.transactionLocked(t)
	if t.status == mmapi.StatusFailed {
		body = t.err
	}
	b, err := json.Marshal(body)
	if err != nil {
		return
	}
	dl := delivery{url: t.callbackURL, correlationID: t.correlationID, body: b}
	f := s.Faults()
	if s.roll("callbackLost", t.correlationID, 0) < f.CallbackLost {
		s.cb.count(func(c *CallbackTotals) { c.Lost++ })
		return
	}
	late := time.Duration((1 + s.roll("callbackLate", t.correlationID, 0)) * float64(s.o.ReorderDelay))
	if s.roll("callbackReorder", t.correlationID, 0) < f.CallbackReorder {
		s.cb.count(func(c *CallbackTotals) { c.Reordered++ })
		s.cb.later(dl, late)
	} else {
		s.cb.enqueue(dl)
	}
	if s.roll("callbackDuplicate", t.correlationID, 0) < f.CallbackDuplicate {
		s.cb.count(func(c *CallbackTotals) { c.Duplicated++ })
		s.cb.later(dl, late+s.o.ReorderDelay/2)
	}
}

func (d *dispatcher) count(f func(*CallbackTotals)) {
	d.mu.Lock()
	f(&d.counts)
	d.mu.Unlock()
}

func (d *dispatcher) enqueue(dl delivery) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	d.outstanding++
	d.queue = append(d.queue, dl)
	d.cond.Signal()
}

// later enqueues dl after a while, so callbacks sent meanwhile overtake it.
func (d *dispatcher) later(dl delivery, after time.Duration) {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.outstanding++
	d.mu.Unlock()
	time.AfterFunc(after, func() {
		d.enqueue(dl)
		d.done()
	})
}

func (d *dispatcher) done() {
	d.mu.Lock()
	d.outstanding--
	d.mu.Unlock()
}

func (d *dispatcher) work() {
	defer d.workers.Done()
	for {
		d.mu.Lock()
		for len(d.queue) == 0 && !d.closed {
			d.cond.Wait()
		}
		if d.closed {
			d.mu.Unlock()
			return
		}
		dl := d.queue[0]
		d.queue = d.queue[1:]
		d.mu.Unlock()
		ok := d.post(dl)
		d.count(func(c *CallbackTotals) {
			c.Sent++
			if ok {
				c.Delivered++
			} else {
				c.Failed++
			}
		})
		d.done()
	}
}

// post sends one callback; the receiver's 2xx is a delivery. A failed one is not retried: a rail's
// callback is best effort, which is why the BB polls.
func (d *dispatcher) post(dl delivery) bool {
	req, err := http.NewRequest(http.MethodPost, dl.url, bytes.NewReader(dl.body))
	if err != nil {
		return false
	}
	for k, v := range d.headers {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(mmapi.HeaderCorrelationID, dl.correlationID)
	req.Header.Set(mmapi.HeaderDate, time.Now().UTC().Format(http.TimeFormat))
	resp, err := d.client.Do(req)
	if err != nil {
		d.log.Debug("railsim: callback not delivered", "correlation_id", dl.correlationID, "err", err)
		return false
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	return resp.StatusCode >= 200 && resp.StatusCode < 300
}

// close stops the workers; callbacks not yet sent are dropped.
func (d *dispatcher) close() {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.closed = true
	d.queue = nil
	d.cond.Broadcast()
	d.mu.Unlock()
	d.workers.Wait()
}

func (d *dispatcher) totals() CallbackTotals {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := d.counts
	c.Outstanding = d.outstanding
	return c
}
