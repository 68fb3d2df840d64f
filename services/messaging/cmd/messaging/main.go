// Command messaging runs the GovStack Messaging building block on its own: `messaging serve`,
// `messaging migrate`, `messaging healthcheck`. Settings come from GOVSTACK_* environment variables (see -h).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], environ(), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
