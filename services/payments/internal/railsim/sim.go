// Package railsim is a seedable simulator of a GSMA Mobile Money API rail (the shapes of package mmapi):
// it keeps its own ledger of what it paid, never pays one X-CorrelationID twice, and injects — at seeded
// rates — the faults a real rail has: delays, rejections (unknown account, insufficient funds), 5xx before
// and after taking a request, time-outs whose instruction later polls as settled, and lost, duplicated and
// out-of-order callbacks. Its totals (GET /simulator/totals) let a test reconcile the BB's ledger against
// what the rail paid, to the cent.
//
// It runs in-process (New, Start) for tests and as its own process (cmd/railsim) for compose.
//
// Each fault is decided by a hash of the seed, the fault, the request's X-CorrelationID and how many times
// that id was sent, so a run with the same seed makes the same decisions for the same instructions whatever
// the order concurrent requests arrive in.
package railsim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govstackbb/marketplace/platform/httpserver"
)

// Faults are the rates (0 to 1) at which the simulator misbehaves.
type Faults struct {
	// Delay: an API request waits up to Options.MaxDelay before it is handled.
	Delay float64 `json:"delay"`
	// ErrorBeforeAccept: an API request is answered 503 before it is looked at; nothing is recorded.
	ErrorBeforeAccept float64 `json:"errorBeforeAccept"`
	// ErrorAfterAccept: a POST is recorded (a disbursement will settle), then answered 500.
	ErrorAfterAccept float64 `json:"errorAfterAccept"`
	// Timeout: a request is handled (a POST recorded, so it later polls as settled) and then not answered
	// until the client gives up (or Options.HoldMax passes, then 504).
	Timeout float64 `json:"timeout"`
	// UnknownAccount: the share of payee accounts the rail does not know, decided per account, so the
	// account-name look-up and a disbursement agree.
	UnknownAccount float64 `json:"unknownAccount"`
	// InsufficientFunds: the share of accepted disbursements that fail when they settle.
	InsufficientFunds float64 `json:"insufficientFunds"`
	// CallbackLost, CallbackDuplicate, CallbackReorder: a result's callback is not sent, sent twice (the
	// second one later), or sent later than results that settled after it.
	CallbackLost      float64 `json:"callbackLost"`
	CallbackDuplicate float64 `json:"callbackDuplicate"`
	CallbackReorder   float64 `json:"callbackReorder"`
}

// Validate checks every rate is between 0 and 1.
func (f Faults) Validate() error {
	var errs []error
	for name, r := range map[string]float64{"delay": f.Delay, "errorBeforeAccept": f.ErrorBeforeAccept,
		"errorAfterAccept": f.ErrorAfterAccept, "timeout": f.Timeout, "unknownAccount": f.UnknownAccount,
		"insufficientFunds": f.InsufficientFunds, "callbackLost": f.CallbackLost,
		"callbackDuplicate": f.CallbackDuplicate, "callbackReorder": f.CallbackReorder} {
		if !(r >= 0 && r <= 1) {
			errs = append(errs, fmt.Errorf("fault rate %s must be between 0 and 1 (got %v)", name, r))
		}
	}
	return errors.Join(errs...)
}

// Options configure a simulator. The zero value is a well-behaved rail that settles at once.
type Options struct {
	Seed   int64
	Faults Faults
	// SettleDelay is how long an accepted disbursement stays pending; zero settles it before the answer.
	SettleDelay time.Duration
	// MaxDelay is the longest injected delay (default 50ms).
	MaxDelay time.Duration
	// HoldMax is the longest a time-out holds a request before answering 504 (default 30s).
	HoldMax time.Duration
	// ReorderDelay is how much later an out-of-order or duplicate callback goes out (default 50ms).
	ReorderDelay time.Duration
	// CallbackWorkers send callbacks concurrently (default 8); CallbackTimeout bounds one (default 5s).
	CallbackWorkers int
	CallbackTimeout time.Duration
	// UnknownAccounts are financial addresses the rail never knows, besides Faults.UnknownAccount's share.
	UnknownAccounts []string
	// Token, when set, is the bearer token API calls must carry.
	Token string
	// CallbackHeaders go with every callback: the identity the receiver's gateway asks for.
	CallbackHeaders http.Header
	// HTTPClient sends the callbacks (default: one with CallbackTimeout).
	HTTPClient *http.Client
	Logger     *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.MaxDelay <= 0 {
		o.MaxDelay = 50 * time.Millisecond
	}
	if o.HoldMax <= 0 {
		o.HoldMax = 30 * time.Second
	}
	if o.ReorderDelay <= 0 {
		o.ReorderDelay = 50 * time.Millisecond
	}
	if o.CallbackWorkers <= 0 {
		o.CallbackWorkers = 8
	}
	if o.CallbackTimeout <= 0 {
		o.CallbackTimeout = 5 * time.Second
	}
	if o.HTTPClient == nil {
		// One kept-alive connection per worker: without it, callbacks open a connection each.
		o.HTTPClient = &http.Client{Timeout: o.CallbackTimeout,
			Transport:     &http.Transport{MaxIdleConnsPerHost: o.CallbackWorkers, IdleConnTimeout: 90 * time.Second},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Sim is a running simulator. Its methods are safe for concurrent use.
type Sim struct {
	o       Options
	faults  atomic.Pointer[Faults]
	unknown map[string]bool
	mux     *http.ServeMux
	cb      *dispatcher
	gets    atomic.Int64 // GET requests so far: the n of their fault decisions

	mu  sync.Mutex // guards led
	led ledger

	closing   chan struct{} // closed by Close: held requests are let go
	closeOnce sync.Once
	srvMu     sync.Mutex
	servers   []*http.Server
}

// New makes a simulator; it panics on fault rates outside 0..1 (a test's mistake).
func New(o Options) *Sim {
	if err := o.Faults.Validate(); err != nil {
		panic("railsim: " + err.Error())
	}
	o = o.withDefaults()
	s := &Sim{o: o, unknown: map[string]bool{}, led: newLedger(), closing: make(chan struct{})}
	for _, a := range o.UnknownAccounts {
		s.unknown[a] = true
	}
	f := o.Faults
	s.faults.Store(&f)
	s.cb = newDispatcher(o.HTTPClient, o.CallbackWorkers, o.CallbackHeaders, o.Logger)
	s.mux = s.routes()
	return s
}

// Handler serves the API and the simulator's own endpoints.
func (s *Sim) Handler() http.Handler { return s.mux }

// Faults are the rates in force.
func (s *Sim) Faults() Faults { return *s.faults.Load() }

// SetFaults changes the rates for the requests that follow.
func (s *Sim) SetFaults(f Faults) error {
	if err := f.Validate(); err != nil {
		return err
	}
	s.faults.Store(&f)
	return nil
}

// Start serves the simulator on l in the background until Close, and returns its base URL.
func (s *Sim) Start(l net.Listener) string {
	srv := s.newServer()
	go func() { _ = srv.Serve(l) }()
	return "http://" + l.Addr().String()
}

// Serve serves the simulator on l until ctx is done, then stops it (cmd/railsim's serve).
func (s *Sim) Serve(ctx context.Context, l net.Listener, shutdownTimeout time.Duration) error {
	err := httpserver.Serve(ctx, l, s.newServer(), shutdownTimeout)
	s.Close()
	return err
}

func (s *Sim) newServer() *http.Server {
	srv := &http.Server{Handler: s.mux, ReadHeaderTimeout: 10 * time.Second}
	srv.RegisterOnShutdown(s.letGo) // a held request must not hold up the shutdown
	s.srvMu.Lock()
	s.servers = append(s.servers, srv)
	s.srvMu.Unlock()
	return srv
}

// Close stops the servers Start began, lets held requests go and stops sending callbacks.
func (s *Sim) Close() {
	s.letGo()
	s.srvMu.Lock()
	for _, srv := range s.servers {
		_ = srv.Close()
	}
	s.servers = nil
	s.srvMu.Unlock()
	s.cb.close()
}

func (s *Sim) letGo() { s.closeOnce.Do(func() { close(s.closing) }) }
