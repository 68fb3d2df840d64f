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
		"GOVSTACK_GATEWAY_REQUEST_TIMEOUT", "GOVSTACK_GATEWAY_MAX_BODY_BYTES", "GOVSTACK_SHUTDOWN_TIMEOUT"} {
		if !strings.Contains(out.String(), v) {
			t.Errorf("-h does not list %s", v)
		}
	}
	if strings.Contains(out.String(), "GOVSTACK_DATABASE_URL") {
		t.Error("-h lists GOVSTACK_DATABASE_URL, which the gateway does not use")
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
