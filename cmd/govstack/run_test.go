package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"bogus"}, &out, &errOut); code != 2 {
		t.Errorf("unknown subcommand: exit %d, want 2", code)
	}
	if !strings.Contains(errOut.String(), "govstack dev") {
		t.Errorf("usage does not name the dev subcommand: %s", errOut.String())
	}
	errOut.Reset()
	if code := run([]string{"-h"}, &out, &errOut); code != 0 || !strings.Contains(errOut.String(), "GOVSTACK_DATABASE_URL") {
		t.Errorf("-h: exit %d, output %q", code, errOut.String())
	}
}

// A newcomer without Postgres gets one message that says what to do, not a stack of driver errors.
func TestDevWithoutPostgresSaysWhatToDo(t *testing.T) {
	t.Setenv("GOVSTACK_DATABASE_URL", "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2")
	t.Setenv("GOVSTACK_DATA_DIR", t.TempDir())
	// Every listener on a free port: the test must pass while `make run` holds the default ones.
	for _, v := range []string{"GOVSTACK_HTTP_ADDR", "GOVSTACK_GRPC_ADDR", "GOVSTACK_REGISTRIES_GRPC_ADDR",
		"GOVSTACK_MESSAGING_GRPC_ADDR", "GOVSTACK_SCHEDULING_GRPC_ADDR", "GOVSTACK_REGISTRATION_GRPC_ADDR"} {
		t.Setenv(v, "127.0.0.1:0")
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"dev"}, &out, &errOut); code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", code, errOut.String())
	}
	msg := errOut.String()
	if !strings.Contains(msg, "cannot reach Postgres at 127.0.0.1:1") || !strings.Contains(msg, "GOVSTACK_DATABASE_URL") {
		t.Errorf("message does not say what to do: %s", msg)
	}
}

func TestBadSettingIsNamed(t *testing.T) {
	t.Setenv("GOVSTACK_LOG_LEVEL", "loud")
	var out, errOut bytes.Buffer
	if code := run([]string{"dev"}, &out, &errOut); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if !strings.Contains(errOut.String(), "GOVSTACK_LOG_LEVEL") {
		t.Errorf("error does not name the variable: %s", errOut.String())
	}
}
