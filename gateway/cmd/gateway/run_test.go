package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-h"}, &out, &errOut); code != 0 {
		t.Fatalf("-h exit %d", code)
	}
	for _, v := range []string{"GOVSTACK_HTTP_ADDR", "GOVSTACK_GATEWAY_STANDALONE", "GOVSTACK_REGISTRIES_GRPC_ADDR",
		"GOVSTACK_GATEWAY_REQUEST_TIMEOUT", "GOVSTACK_GATEWAY_MAX_BODY_BYTES", "GOVSTACK_SHUTDOWN_TIMEOUT",
		"GOVSTACK_DATABASE_URL", "GOVSTACK_GATEWAY_DEV_MODE", "GOVSTACK_GATEWAY_TLS_CERT_FILE", "admin-key", "verify-log", "--no-checkpoints", "GOVSTACK_GATEWAY_LOG_CHECKPOINT_INTERVAL"} {
		if !strings.Contains(out.String(), v) {
			t.Errorf("-h does not list %s", v)
		}
	}
	if strings.Contains(out.String(), "GOVSTACK_METRICS_ADDR") {
		t.Error("-h lists GOVSTACK_METRICS_ADDR, which the gateway does not use (it serves /metrics on its REST listener)")
	}
	if code := run([]string{"frobnicate"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "usage") {
		t.Errorf("unknown command: exit %d, stderr %q", code, errOut.String())
	}
}

func TestServeReportsBadConfig(t *testing.T) {
	t.Setenv("GOVSTACK_GATEWAY_STANDALONE", "nope=:1")
	var out, errOut bytes.Buffer
	if code := run([]string{"serve"}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "GOVSTACK_GATEWAY_STANDALONE") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}
