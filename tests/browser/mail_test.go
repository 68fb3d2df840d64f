package browser

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devmail"
)

// mailbox is an SMTP server the Messaging BB delivers to over the wire (internal/devmail, govstack dev's
// own); tests read the links in what arrived, as the person would click them.
type mailbox struct{ *devmail.Mailbox }

func startMailbox() (*mailbox, string, func(), error) {
	mb, err := devmail.Start("127.0.0.1:0", 1<<20) // the tests keep every message they caused
	if err != nil {
		return nil, "", nil, err
	}
	return &mailbox{mb}, mb.Addr(), func() { _ = mb.Close() }, nil
}

// link waits for an e-mail to addr whose text has a link matching pattern, and returns the link.
func (mb *mailbox) link(t *testing.T, addr string, pattern *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, m := range mb.Messages() {
			if strings.EqualFold(m.To, addr) {
				if l := pattern.FindString(m.Body); l != "" {
					return l
				}
			}
		}
		if time.Now().After(deadline) {
			all := fmt.Sprint(mb.Messages())
			t.Fatalf("no e-mail to %s with a link like %s arrived; all: %s", addr, pattern, all)
		}
		time.Sleep(50 * time.Millisecond) // polling interval
	}
}

// waitReady polls the gateway's /readyz until it answers 200.
func waitReady(gateway string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(gateway + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the gateway is not ready after 60 s (%v)", err)
		}
		time.Sleep(100 * time.Millisecond) // polling interval
	}
}
