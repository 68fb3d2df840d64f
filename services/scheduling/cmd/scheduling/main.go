// Command scheduling runs the GovStack Scheduler building block on its own: `scheduling serve`,
// `scheduling migrate`, `scheduling seed`. Settings come from GOVSTACK_* environment variables (see -h).
package main

import (
	"context"
	"github.com/govstackbb/marketplace/platform/bbcmd"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], bbcmd.Environ(), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
