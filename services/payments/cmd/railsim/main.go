// Command railsim runs the simulator of a GSMA Mobile Money API payment rail (internal/railsim) as its own
// process, for compose and for tests that need the rail out of process: `railsim serve` answers the API
// and GET /simulator/totals; `railsim healthcheck` asks a running one for its heartbeat. Settings come
// from GOVSTACK_* environment variables (see -h).
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

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/observability"

	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
	"github.com/govstackbb/marketplace/services/payments/simulator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], environ(), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the command: its arguments, environment and output passed in, so a test runs it as main would.
func run(ctx context.Context, args []string, env map[string]string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, simulator.Usage())
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, simulator.Usage())
		return 0
	case "serve", "healthcheck":
	default:
		fmt.Fprintf(stderr, "railsim: unknown command %q\n\n%s", args[0], simulator.Usage())
		return 2
	}
	s, err := config.LoadFrom[simulator.Settings](env)
	if err != nil {
		fmt.Fprintf(stderr, "railsim: %v\n", err)
		return 2
	}
	if args[0] == "healthcheck" {
		return healthcheck(ctx, s.Addr, stderr)
	}
	if err := serve(ctx, s, stderr); err != nil {
		fmt.Fprintf(stderr, "railsim: %v\n", err)
		return 1
	}
	return 0
}

// serve runs the simulator on the configured address until ctx is done.
func serve(ctx context.Context, s simulator.Settings, stderr io.Writer) error {
	return simulator.Serve(ctx, s, observability.NewLogger(stderr, s.LogLevel))
}

// healthcheck asks the simulator on addr for its heartbeat (for compose's health check: the image has no curl).
func healthcheck(ctx context.Context, addr string, stderr io.Writer) int {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+dialAddr(addr)+mmapi.PathHeartbeat, nil)
	if err != nil {
		fmt.Fprintf(stderr, "railsim: %v\n", err)
		return 1
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "railsim: not healthy: %v\n", err)
		return 1
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "railsim: not healthy: HTTP %d\n", resp.StatusCode)
		return 1
	}
	return 0
}

// dialAddr turns a listen address (":8095", "0.0.0.0:8095") into one a local client can dial.
func dialAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

func environ() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}
