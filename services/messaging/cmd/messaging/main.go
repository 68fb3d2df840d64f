// Command messaging runs the GovStack Messaging building block on its own: `messaging serve`,
// `messaging migrate`, `messaging healthcheck`. Settings come from GOVSTACK_* environment variables (see -h).
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
