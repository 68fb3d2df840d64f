package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/govstackbb/marketplace/platform/observability"
	portal "github.com/govstackbb/marketplace/web"
)

const summary = `The marketplace portal: web pages for citizens, buyers and suppliers over the gateway's public REST API.`

// usage is -h: the commands, then every setting on one line.
func usage() string {
	var b strings.Builder
	b.WriteString("Usage: portal <command>\n\n" + summary + "\n\nCommands:\n")
	b.WriteString("  serve        serve the portal on GOVSTACK_PORTAL_ADDR until SIGINT/SIGTERM\n")
	b.WriteString("  healthcheck  exit 0 when the portal at GOVSTACK_PORTAL_ADDR answers /healthz\n")
	b.WriteString("\nEnvironment:\n")
	settings := portal.Settings()
	width := 0
	for _, s := range settings {
		width = max(width, len(s.Name))
	}
	for _, s := range settings {
		line := s.Help
		if s.Default != "" {
			line += " (default " + s.Default + ")"
		}
		fmt.Fprintf(&b, "  %-*s  %s\n", width, s.Name, line)
	}
	return b.String()
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || (args[0] != "serve" && args[0] != "healthcheck") {
		fmt.Fprint(stderr, usage())
		if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return 0
		}
		return 2
	}
	cfg, err := portal.LoadConfig(environ())
	if err != nil {
		fmt.Fprintf(stderr, "portal: configuration: %v\n", err)
		return 2
	}
	if args[0] == "healthcheck" {
		return healthcheck(cfg, stderr)
	}
	log := observability.NewLogger(stderr, cfg.LogLevel)
	p, err := portal.New(cfg, portal.Deps{Logger: log})
	if err != nil {
		fmt.Fprintf(stderr, "portal: %v\n", err)
		return 2
	}
	l, err := p.Listen()
	if err != nil {
		fmt.Fprintf(stderr, "portal: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := p.Run(ctx, l); err != nil {
		fmt.Fprintf(stderr, "portal: %v\n", err)
		return 1
	}
	return 0
}

// healthcheck is the container's liveness probe: GET /healthz on the portal's own address.
func healthcheck(cfg portal.Config, stderr io.Writer) int {
	host, port, _ := net.SplitHostPort(cfg.Addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	scheme := "http"
	client := &http.Client{Timeout: 3 * time.Second}
	if cfg.TLSCertFile != "" {
		scheme = "https"
		client.Transport = insecureLocalTransport() // our own listener on loopback, whatever its certificate names
	}
	resp, err := client.Get(scheme + "://" + net.JoinHostPort(host, port) + "/healthz")
	if err != nil {
		fmt.Fprintf(stderr, "portal healthcheck: %v\n", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "portal healthcheck: /healthz answered %d\n", resp.StatusCode)
		return 1
	}
	return 0
}

// environ is the process environment as a map.
func environ() map[string]string {
	m := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}
