package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	portal "github.com/govstackbb/marketplace/web"
)

// -h lists every setting on a line of its own.
func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-h"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(errOut.String(), "\n")
	for _, s := range portal.Settings() {
		n := 0
		for _, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), s.Name+" ") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s is on %d lines of -h:\n%s", s.Name, n, errOut.String())
		}
	}
	if code := run([]string{"nonsense"}, &out, &errOut); code != 2 {
		t.Errorf("an unknown command: exit %d", code)
	}
}

// serve refuses to start without a session secret; with one it serves, answers its health check, and
// stops on SIGTERM-like cancellation.
func TestServeAndHealthcheck(t *testing.T) {
	var out, errOut bytes.Buffer
	t.Setenv("GOVSTACK_PORTAL_SESSION_SECRET", "")
	if code := run([]string{"serve"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "GOVSTACK_PORTAL_SESSION_SECRET") {
		t.Fatalf("serve without a secret: exit %d: %s", code, errOut.String())
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	cfg, err := portal.LoadConfig(map[string]string{"GOVSTACK_PORTAL_ADDR": addr, "GOVSTACK_PORTAL_SESSION_SECRET": strings.Repeat("x", 32)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := portal.New(cfg, portal.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, l) }()
	t.Setenv("GOVSTACK_PORTAL_ADDR", addr)
	deadline := time.Now().Add(10 * time.Second)
	for run([]string{"healthcheck"}, io.Discard, io.Discard) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("healthcheck never passed")
		}
		time.Sleep(20 * time.Millisecond) // polling interval
	}
	resp, err := http.Get("http://" + addr + "/")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run returned %v", err)
	}
	if code := run([]string{"healthcheck"}, io.Discard, io.Discard); code == 0 {
		t.Error("healthcheck passes with the portal stopped")
	}
}
