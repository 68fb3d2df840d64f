// Package simulator runs the rail simulator (a GSMA Mobile Money API rail with seeded faults,
// internal/railsim) from outside the Payments module's internals: cmd/railsim serves it as its own process,
// and govstack dev or the end-to-end tests start it in-process. Its settings are GOVSTACK_RAILSIM_*
// variables (Settings), which tests/deploy checks compose and Kubernetes against.
package simulator

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/govstackbb/marketplace/services/payments/internal/railsim"
)

// Faults are the rates (0 to 1) at which the simulator misbehaves.
type Faults = railsim.Faults

// Totals are the simulator's own account of what it paid, refused and called back (GET /simulator/totals).
type Totals = railsim.Totals

// Simulator is a simulator serving in the background.
type Simulator struct {
	sim *railsim.Sim
	url string
}

// options are the simulator's options of settings s.
func options(s Settings, log *slog.Logger) railsim.Options {
	headers := http.Header{}
	if s.CallbackClient != "" {
		headers.Set("X-GovStack-Client", s.CallbackClient)
	}
	if s.CallbackAPIKey != "" {
		headers.Set("X-GovStack-Api-Key", s.CallbackAPIKey)
	}
	return railsim.Options{Seed: s.Seed, Faults: s.Faults(), SettleDelay: s.SettleDelay, MaxDelay: s.MaxDelay,
		UnknownAccounts: s.UnknownAccounts, Token: s.Token, CallbackHeaders: headers, Logger: log}
}

// Start listens on s.Addr and serves in the background until Close.
func Start(s Settings, log *slog.Logger) (*Simulator, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return nil, fmt.Errorf("GOVSTACK_RAILSIM_ADDR: cannot listen on %s: %w", s.Addr, err)
	}
	sim := railsim.New(options(s, log))
	return &Simulator{sim: sim, url: sim.Start(l)}, nil
}

// Serve serves on s.Addr until ctx is done (cmd/railsim's serve).
func Serve(ctx context.Context, s Settings, log *slog.Logger) error {
	l, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("GOVSTACK_RAILSIM_ADDR: cannot listen on %s: %w", s.Addr, err)
	}
	log.Info("railsim serving", "addr", l.Addr().String(), "seed", s.Seed, "faults", s.Faults())
	return railsim.New(options(s, log)).Serve(ctx, l, s.ShutdownTimeout)
}

// URL is the API's base URL, e.g. http://127.0.0.1:8095.
func (s *Simulator) URL() string { return s.url }

// Totals are what the simulator did so far.
func (s *Simulator) Totals() Totals { return s.sim.Totals() }

// SetFaults changes the fault rates for the requests that follow.
func (s *Simulator) SetFaults(f Faults) error { return s.sim.SetFaults(f) }

// Close stops serving and sending callbacks.
func (s *Simulator) Close() { s.sim.Close() }
