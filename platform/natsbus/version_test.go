package natsbus

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

func TestVersionAtLeast(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{{"2.9.10", false}, {"2.10.0", true}, {"2.10.0-beta.1", true}, {"2.15.2", true}, {"3.0", true}, {"1.4.1", false}, {"", false}, {"v2.11.1", true}} {
		if got := versionAtLeast(tc.v, MinServerVersion); got != tc.want {
			t.Errorf("versionAtLeast(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
	if err := checkVersion("2.9.10"); err == nil || !strings.Contains(err.Error(), "2.10.0 or newer") || !strings.Contains(err.Error(), "GOVSTACK_NATS_URL") {
		t.Errorf("checkVersion(2.9.10) = %v", err)
	}
}

// The machines of this project run Debian's nats-server 2.9.10 on 127.0.0.1:4222: Connect must refuse it
// with the message, not connect and let every consumer fail.
func TestConnectRefusesAnOldServer(t *testing.T) {
	c, err := net.DialTimeout("tcp", "127.0.0.1:4222", time.Second)
	if err != nil {
		t.Skip("no NATS server on 127.0.0.1:4222 to try an old version against")
	}
	c.Close()
	probe, err := nats.Connect("nats://127.0.0.1:4222")
	if err != nil {
		t.Skipf("the server on 127.0.0.1:4222 does not speak NATS: %v", err)
	}
	v := probe.ConnectedServerVersion()
	probe.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	nc, err := Connect(ctx, "nats://127.0.0.1:4222", "test", nil)
	if versionAtLeast(v, MinServerVersion) {
		if err != nil {
			t.Fatalf("server %s refused: %v", v, err)
		}
		nc.Close()
		return
	}
	if err == nil || !strings.Contains(err.Error(), "version "+v) {
		t.Fatalf("server %s: Connect = %v, want a refusal naming the version", v, err)
	}
}
