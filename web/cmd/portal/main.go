// Command portal serves the marketplace portal alone, in front of a gateway at GOVSTACK_PORTAL_GATEWAY_URL.
// Run `portal -h` for its settings.
package main

import (
	"os"

	_ "time/tzdata" // the hospitals' time zones, also in an image without /usr/share/zoneinfo
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
