// Command govstack is the all-in-one binary: `govstack dev` runs every building block and the gateway in
// one process with NATS embedded, for newcomers and demos. Production runs each BB's own binary.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
