// Package bench holds whole-system load measurements; they are not part of `make test`. Run them with
// `make bench` (which sets GOVSTACK_BENCH=1) and copy the report into docs/benchmarks.md.
package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
	"github.com/govstackbb/marketplace/platform/imident"
	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/structpb"
)

var benchClient = imident.Client{Instance: "GOVSTACK", Class: "GOV", Member: "BENCH", Subsystem: "load"}

// TestIMOverhead compares the same read — ReadRecord of one citizen — called directly over gRPC and as REST
// through the gateway with authentication (API key), access rights and the message log on: throughput with
// 8 concurrent callers, and latency at a fixed rate below saturation.
func TestIMOverhead(t *testing.T) {
	if os.Getenv("GOVSTACK_BENCH") == "" {
		t.Skip("a load measurement, not a test: run it with make bench (GOVSTACK_BENCH=1)")
	}
	s, key := startStack(t)
	direct := directReader(t, s)
	rest := restReader(s.URL(), key)
	if err := direct(); err != nil {
		t.Fatalf("direct read: %v", err)
	}
	if err := rest(); err != nil {
		t.Fatalf("read through the gateway: %v", err)
	}
	const workers, window = 8, 5 * time.Second
	dThr := throughput(direct, workers, window)
	gThr := throughput(rest, workers, window)
	const rate, n = 100, 1000 // 100 requests/s for 10 s
	dLat := paced(t, direct, rate, n)
	gLat := paced(t, rest, rate, n)
	var b strings.Builder
	fmt.Fprintf(&b, "| measure | direct gRPC | REST via IM | ratio / added |\n|---|---|---|---|\n")
	fmt.Fprintf(&b, "| throughput, %d callers | %.0f/s | %.0f/s | %.2f |\n", workers, dThr, gThr, gThr/dThr)
	for _, q := range []float64{0.50, 0.99} {
		d, g := pct(dLat, q), pct(gLat, q)
		fmt.Fprintf(&b, "| p%.0f at %d/s | %s | %s | +%s |\n", q*100, rate, ms(d), ms(g), ms(g-d))
	}
	t.Log("\n" + b.String())
}

func startStack(t *testing.T) (*devstack.Stack, string) {
	cfg, err := devstack.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	if u := os.Getenv("GOVSTACK_TEST_DATABASE_URL"); u != "" {
		cfg.DatabaseURL = u
	}
	cfg.DatabasePrefix = "bench_" + hex.EncodeToString(suffix) + "_"
	cfg.DataDir = t.TempDir()
	cfg.OnFreePorts()
	cfg.DevMode, cfg.RateLimit = false, 0 // production checks; no rate limit in a load test
	ctx, cancel := context.WithCancel(context.Background())
	s, err := devstack.New(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; s.Close() })
	key, err := s.IssueAPIKey(ctx, benchClient, true)
	if err != nil {
		t.Fatal(err)
	}
	grant := `[{"memberClass":"GOV","memberCode":"GOVSTACK","applicationId":"registries","serviceId":"registries",
	  "rights":[{"memberClass":"GOV","memberCode":"BENCH","applicationId":"load"}]}]`
	if code, body := send(s.URL(), key, "PATCH", "/api/v1/rights/allow", grant); code != 200 {
		t.Fatalf("grant: %d %s", code, body)
	}
	citizen := `{"write":{"content":{"personalCode":"EE39912310000","firstName":"Bench","lastName":"Mark","birthDate":"1999-12-31","email":"bench@example.org"}}}`
	if code, body := send(s.URL(), key, "POST", "/data/citizens/1.0/create", citizen); code != 200 {
		t.Fatalf("create: %d %s", code, body)
	}
	return s, key
}

const readBody = `{"query":{"content":{"personalCode":"EE39912310000"}}}`

func send(base, key, method, path, body string) (int, string) {
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GovStack-Client", benchClient.String())
	req.Header.Set("X-GovStack-Api-Key", key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func restReader(base, key string) func() error {
	return func() error {
		if code, body := send(base, key, "POST", "/data/citizens/1.0/read", readBody); code != 200 {
			return fmt.Errorf("%d %s", code, body)
		}
		return nil
	}
}

// directReader reads over gRPC straight from the BB's port, with the assertion the IM would sign (signed once:
// what is measured is the BB, and the IM's signing is part of the REST path's cost).
func directReader(t *testing.T, s *devstack.Stack) func() error {
	conn, err := grpc.NewClient(s.BBAddr("registries"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	client := registriesv1.NewRegistriesServiceClient(conn)
	query, _ := structpb.NewStruct(map[string]any{"personalCode": "EE39912310000"})
	req := &registriesv1.ReadRecordRequest{RegistryName: "citizens", VersionNumber: "1.0", Query: &registriesv1.RecordQuery{Content: query}}
	ctx, err := s.SignedByIM(context.Background(), registriesv1.RegistriesService_ReadRecord_FullMethodName, benchClient)
	if err != nil {
		t.Fatal(err)
	}
	return func() error {
		_, err := client.ReadRecord(ctx, req)
		return err
	}
}

// throughput runs fn from workers goroutines for the window and returns successful calls per second.
func throughput(fn func() error, workers int, window time.Duration) float64 {
	var ok atomic.Int64
	stop := time.Now().Add(window)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for time.Now().Before(stop) {
				if fn() == nil {
					ok.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return float64(ok.Load()) / window.Seconds()
}

// paced starts n calls at rate per second (open loop: a slow call does not delay the next start) and
// returns their latencies.
func paced(t *testing.T, fn func() error, rate, n int) []time.Duration {
	lat := make([]time.Duration, n)
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	var wg sync.WaitGroup
	var failed atomic.Int64
	for i := range n {
		<-tick.C
		wg.Go(func() {
			start := time.Now()
			if fn() != nil {
				failed.Add(1)
			}
			lat[i] = time.Since(start)
		})
	}
	wg.Wait()
	if failed.Load() > 0 {
		t.Errorf("%d of %d paced calls failed", failed.Load(), n)
	}
	return lat
}

func pct(d []time.Duration, q float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
