package main

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/govstackbb/marketplace/gateway"
	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/grpcserver"
)

// healthcheck asks the gateway running with the same settings whether it is alive. Container images have
// no curl or wget (distroless), so the binary checks itself: docker-compose and Kubernetes call this.
func healthcheck(stderr io.Writer) int {
	cfg, err := config.Load[gateway.Config]()
	if err != nil {
		fmt.Fprintln(stderr, "gateway healthcheck:", err)
		return 2
	}
	url := "http://" + grpcserver.DialAddr(cfg.HTTPAddr) + "/healthz"
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		fmt.Fprintln(stderr, "gateway healthcheck:", err)
		return 1
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "gateway healthcheck: %s answered %s\n", url, resp.Status)
		return 1
	}
	return 0
}
