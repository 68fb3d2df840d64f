package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/govstackbb/marketplace/internal/devmail"
	"github.com/govstackbb/marketplace/internal/devstack"
	"github.com/govstackbb/marketplace/platform/httpserver"
)

// defaultMailboxAddr is where govstack dev shows its mailbox: Mailpit's web port, which developers know.
const defaultMailboxAddr = "127.0.0.1:8025"

// startMailbox gives the stack a mailbox when no SMTP server was named (GOVSTACK_MESSAGING_SMTP_ADDR unset):
// Messaging delivers to the in-process SMTP server of internal/devmail, and its page is served at
// GOVSTACK_DEV_MAILBOX_ADDR (default 127.0.0.1:8025; a free port when that one is taken) until ctx ends. It
// returns the page's URL, "" when the stack delivers to a server of the developer's.
func startMailbox(ctx context.Context, cfg *devstack.Config, log *slog.Logger) (string, error) {
	if _, named := os.LookupEnv("GOVSTACK_MESSAGING_SMTP_ADDR"); named {
		return "", nil
	}
	mb, err := devmail.Start("127.0.0.1:0", devmail.DefaultKeep)
	if err != nil {
		return "", err
	}
	cfg.Messaging.SMTPAddr, cfg.Messaging.SMTPTLS = mb.Addr(), "none"
	addr := os.Getenv("GOVSTACK_DEV_MAILBOX_ADDR")
	if addr == "" {
		addr = defaultMailboxAddr
	}
	l, err := net.Listen("tcp", addr)
	if err != nil && os.Getenv("GOVSTACK_DEV_MAILBOX_ADDR") == "" {
		log.Info("the mailbox's usual port is taken; it uses a free one", "addr", addr, "err", err)
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		_ = mb.Close()
		return "", err
	}
	srv := &http.Server{Handler: mb.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		_ = httpserver.Serve(ctx, l, srv, 5*time.Second)
		_ = mb.Close()
	}()
	return "http://" + l.Addr().String(), nil
}
