package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devmail"
)

// mailbox is a real SMTP server run by the test (internal/devmail, govstack dev's own): the Messaging BB
// delivers to it over the wire, and the tests read what arrived.
type mailbox struct{ *devmail.Mailbox }

type received = devmail.Message

func startMailbox(t *testing.T) (*mailbox, string) {
	t.Helper()
	mb, err := devmail.Start("127.0.0.1:0", 1<<20) // a test keeps every message it caused
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mb.Close() })
	return &mailbox{mb}, mb.Addr()
}

// waitFor polls until match finds n messages (or more), and returns the matching ones.
func (mb *mailbox) waitFor(t *testing.T, n int, match func(received) bool) []received {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := mb.find(match)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d matching e-mails arrived, want %d; all: %+v", len(got), n, mb.find(func(received) bool { return true }))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (mb *mailbox) find(match func(received) bool) []received { return mb.Find(match) }

func to(addr, subjectPrefix string) func(received) bool {
	return func(m received) bool { return m.To == addr && strings.HasPrefix(m.Subject, subjectPrefix) }
}
