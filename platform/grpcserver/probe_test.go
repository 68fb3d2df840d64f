package grpcserver

import (
	"context"
	"testing"
	"time"
)

func TestProbe(t *testing.T) {
	r := start(t, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := Probe(ctx, r.srv.Addr().String()); err != nil {
		t.Fatalf("Probe of a serving server: %v", err)
	}
	r.srv.Health().Shutdown() // NOT_SERVING, as during a graceful stop
	if err := Probe(ctx, r.srv.Addr().String()); err == nil {
		t.Fatal("Probe of a NOT_SERVING server succeeded")
	}
	short, cancel2 := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel2()
	if err := Probe(short, "127.0.0.1:1"); err == nil {
		t.Fatal("Probe of a closed port succeeded")
	}
}

func TestDialAddr(t *testing.T) {
	for in, want := range map[string]string{"0.0.0.0:9092": "127.0.0.1:9092", ":9092": "127.0.0.1:9092", "[::]:9092": "127.0.0.1:9092", "10.0.0.5:9092": "10.0.0.5:9092"} {
		if got := DialAddr(in); got != want {
			t.Errorf("DialAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
