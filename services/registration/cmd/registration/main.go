// Command registration runs the GovStack Registration building block on its own: `registration serve`,
// `registration migrate`, `registration seed`. Settings come from GOVSTACK_* environment variables (see -h).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/govstackbb/marketplace/platform/bbcmd"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], bbcmd.Environ(), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
