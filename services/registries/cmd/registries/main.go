// Command registries runs the GovStack Digital Registries building block on its own: `registries serve`,
// `registries migrate`, `registries seed`. Settings come from GOVSTACK_* environment variables (see -h).
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
