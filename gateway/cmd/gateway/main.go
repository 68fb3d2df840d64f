// Command gateway runs the GovStack gateway (the seed of the Information Mediator) on its own: REST in
// front of the building blocks' gRPC services. Run `gateway -h` for its settings.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
