package devstack

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"

	"github.com/govstackbb/marketplace/platform/imident"
	portal "github.com/govstackbb/marketplace/web"
)

// The portal (web/) runs beside the stack on its own loopback port: a client of the gateway's REST API
// like any other, as it would be in production, with the e-mailed links of Registration leading to it.

// listenPortal binds the portal's address (GOVSTACK_PORTAL_ADDR, 127.0.0.1:8081 by default) before the BBs
// are built, so Registration's links can name it.
func (s *Stack) listenPortal(context.Context) error {
	var err error
	if s.portalL, err = net.Listen("tcp", s.cfg.Portal.Addr); err != nil {
		return fmt.Errorf("GOVSTACK_PORTAL_ADDR: cannot listen on %s for the portal: %w", s.cfg.Portal.Addr, err)
	}
	return nil
}

// startPortal builds the portal against this stack's gateway. Its session secret is new at every start
// unless GOVSTACK_PORTAL_SESSION_SECRET is set (sessions live in memory, so a restart ends them anyway).
// Out of development mode it gets an IM API key as `gateway issue-key` would give it.
func (s *Stack) startPortal(ctx context.Context) error {
	pc := s.cfg.Portal
	pc.Addr = s.portalL.Addr().String()
	pc.GatewayURL = s.URL()
	pc.LogLevel, pc.ShutdownTimeout = s.cfg.LogLevel, s.cfg.ShutdownTimeout
	if pc.SessionSecret == "" {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		pc.SessionSecret = base64.RawURLEncoding.EncodeToString(b)
	}
	if err := pc.Validate(); err != nil {
		return err
	}
	if !s.cfg.DevMode && pc.IMAPIKey == "" {
		c, err := imident.Parse(pc.IMClient)
		if err != nil {
			return fmt.Errorf("GOVSTACK_PORTAL_IM_CLIENT: %w", err)
		}
		if pc.IMAPIKey, err = s.IssueAPIKey(ctx, c, false); err != nil {
			return err
		}
	}
	var err error
	s.portal, err = portal.New(pc, portal.Deps{Logger: s.log})
	return err
}

// PortalURL is the portal's base URL, e.g. http://127.0.0.1:8081.
func (s *Stack) PortalURL() string { return "http://" + s.portalL.Addr().String() }
