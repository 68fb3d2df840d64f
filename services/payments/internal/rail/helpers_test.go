package rail_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/rail"
	"github.com/govstackbb/marketplace/services/payments/internal/railsim"
)

// rig is a client wired to a simulator, with a callback receiver and the client's log.
type rig struct {
	sim    *railsim.Sim
	base   string // the simulator's URL
	client *rail.MobileMoney
	cb     *receiver
	logs   *syncBuffer
	seen   *recorder // what the client received
}

// newRig starts a simulator with o and a client with co (BaseURL, CallbackURL and Logger filled in).
func newRig(t testing.TB, o railsim.Options, co rail.MobileMoneyOptions) *rig {
	t.Helper()
	sim := railsim.New(o)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := sim.Start(l)
	t.Cleanup(sim.Close)
	cb := newReceiver(t)
	logs := &syncBuffer{}
	co.BaseURL, co.CallbackURL = base, cb.url
	seen := &recorder{base: &http.Transport{MaxIdleConnsPerHost: 64}, got: map[string][]int{}}
	co.HTTPClient = &http.Client{Transport: seen}
	if co.Logger == nil {
		co.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	client, err := rail.NewMobileMoney(co)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{sim: sim, base: base, client: client, cb: cb, logs: logs, seen: seen}
}

// fastClient retries quickly and gives up on an attempt soon, so time-out faults cost little.
func fastClient() rail.MobileMoneyOptions {
	return rail.MobileMoneyOptions{AttemptTimeout: 500 * time.Millisecond, MaxAttempts: 3,
		BackoffBase: 2 * time.Millisecond, BackoffMax: 20 * time.Millisecond}
}

// instruction is a payment of amount minor units of currency to a made-up MSISDN.
func instruction(id string, amount int64, currency string) rail.Instruction {
	return rail.Instruction{ID: id, Amount: amount, Currency: currency, Reference: "award-7 contract-3",
		Payee: rail.Account{Modality: rail.ModalityMobileMoney, FinancialAddress: msisdn(id), FSP: "mpesa"}}
}

// msisdn is a phone number made from the id, so every instruction pays its own account.
func msisdn(id string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return fmt.Sprintf("+2547%08d", h%100000000)
}

// receiver is the BB's callback endpoint in miniature: it parses every callback and keeps them in order.
type receiver struct {
	url string
	mu  sync.Mutex
	got map[string][]rail.Result
	bad int
	all []string // instruction ids in arrival order
}

func newReceiver(t testing.TB) *receiver {
	r := &receiver{got: map[string][]rail.Result{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(http.MaxBytesReader(w, req.Body, rail.MaxCallbackBytes))
		id, res, err := rail.ParseCallback(body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if err != nil {
			r.bad++
			http.Error(w, "bad callback", http.StatusBadRequest)
			return
		}
		r.got[id] = append(r.got[id], res)
		r.all = append(r.all, id)
	}))
	t.Cleanup(srv.Close)
	r.url = srv.URL + "/callbacks"
	return r
}

func (r *receiver) results(id string) []rail.Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]rail.Result(nil), r.got[id]...)
}

func (r *receiver) badCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bad
}

func (r *receiver) arrivals() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.all...)
}

// syncBuffer is a log sink several goroutines write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// recorder is the client's transport, noting the status of every answer to a POST the client received
// whole, by correlation id: what the client could know, to hold ErrInDoubt against.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	got  map[string][]int
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err != nil || req.Method != http.MethodPost {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	id := req.Header.Get("X-CorrelationID")
	r.got[id] = append(r.got[id], resp.StatusCode)
	r.mu.Unlock()
	return resp, nil
}

// statuses are the answers the client received to POSTs under the correlation id.
func (r *recorder) statuses(id string) []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int(nil), r.got[id]...)
}
