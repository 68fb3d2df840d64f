// Package portal is the marketplace portal people use: server-rendered pages over the gateway's public REST
// API only (never a BB's gRPC or database), as an IM client with its own identity that passes each
// signed-in person's token. cmd/portal runs it alone against a gateway URL; govstack dev runs it beside the
// stack.
package portal

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/govstackbb/marketplace/platform/httpserver"
	"github.com/govstackbb/marketplace/platform/lifecycle"
	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
	"github.com/govstackbb/marketplace/web/internal/session"
	"github.com/govstackbb/marketplace/web/internal/site"
)

// Name is the portal's name in logs and the stack.
const Name = "portal"

// Deps are what the portal is given.
type Deps struct {
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Portal is a built portal, ready to serve.
type Portal struct {
	cfg      Config
	log      *slog.Logger
	sessions *session.Store
	site     *site.Site
}

// sweepInterval is how often ended sessions are dropped from memory.
const sweepInterval = time.Minute

// New builds the portal from cfg (validated, its session secret included).
func New(cfg Config, deps Deps) (*Portal, error) {
	if err := cfg.ValidateSecret(); err != nil {
		return nil, err
	}
	log := deps.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", Name)
	api := gatewayapi.New(cfg.GatewayURL, cfg.IMClient, cfg.IMAPIKey, cfg.APITimeout)
	store := session.NewStore(cfg.MaxSessions, cfg.SessionIdle, cfg.SessionMax)
	s, err := site.New(site.Options{API: api, Sessions: store, Cookies: session.NewCookies(cfg.SessionSecret, cfg.SecureCookies()),
		Logger: log, Now: deps.Now, Ready: func(r *http.Request) error { return gatewayReady(r.Context(), cfg.GatewayURL) }})
	if err != nil {
		return nil, err
	}
	return &Portal{cfg: cfg, log: log, sessions: store, site: s}, nil
}

// Handler serves the portal.
func (p *Portal) Handler() http.Handler { return p.site.Handler() }

// Listen binds the portal's address.
func (p *Portal) Listen() (net.Listener, error) {
	l, err := net.Listen("tcp", p.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("GOVSTACK_PORTAL_ADDR: cannot listen on %s: %w", p.cfg.Addr, err)
	}
	return l, nil
}

// Stages are the portal's tasks on l, for lifecycle.Run: the web server first (it stops accepting first),
// then the session sweeper.
func (p *Portal) Stages(l net.Listener) (front, background lifecycle.Stage, err error) {
	srv := &http.Server{Handler: p.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(p.log.Handler(), slog.LevelWarn)}
	if p.cfg.TLSCertFile != "" {
		cert, err := tls.LoadX509KeyPair(p.cfg.TLSCertFile, p.cfg.TLSKeyFile)
		if err != nil {
			return nil, nil, fmt.Errorf("GOVSTACK_PORTAL_TLS_CERT_FILE/KEY_FILE: %w", err)
		}
		l = tls.NewListener(l, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13})
	}
	front = lifecycle.Stage{func(ctx context.Context) error {
		return httpserver.Serve(ctx, l, srv, p.cfg.ShutdownTimeout)
	}}
	background = lifecycle.Stage{func(ctx context.Context) error { return p.sessions.Run(ctx, sweepInterval) }}
	return front, background, nil
}

// Run serves on l until ctx ends.
func (p *Portal) Run(ctx context.Context, l net.Listener) error {
	front, background, err := p.Stages(l)
	if err != nil {
		return err
	}
	p.log.Info("portal listening", "addr", l.Addr().String(), "gateway", p.cfg.GatewayURL)
	err = lifecycle.Run(ctx, front, background)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// gatewayReady asks the gateway's /readyz: the portal is ready when the API it uses is.
func gatewayReady(ctx context.Context, base string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("gateway /readyz: %d", resp.StatusCode)
	}
	return nil
}
