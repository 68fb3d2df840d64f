// Package natsbus connects building blocks to NATS JetStream: a connection that survives restarts of the
// server, an in-process server for `govstack dev` and tests, and the naming rules of streams and subjects
// (ARCHITECTURE.md §6).
package natsbus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Connect dials url, retrying with backoff until ctx is done, so a service may start before NATS does. Once
// connected it reconnects forever; disconnects and reconnects are logged.
func Connect(ctx context.Context, url, name string, log *slog.Logger) (*nats.Conn, error) {
	if log == nil {
		log = slog.Default()
	}
	opts := []nats.Option{
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		nats.DisconnectErrHandler(func(c *nats.Conn, err error) {
			log.Warn("nats disconnected", "url", c.ConnectedUrlRedacted(), "error", err)
		}),
		nats.ReconnectHandler(func(c *nats.Conn) {
			log.Info("nats reconnected", "url", c.ConnectedUrlRedacted())
		}),
	}
	wait := 100 * time.Millisecond
	for {
		nc, err := nats.Connect(url, opts...)
		if err == nil {
			if err := checkVersion(nc.ConnectedServerVersion()); err != nil {
				nc.Close()
				return nil, err
			}
			return nc, nil
		}
		log.Warn("nats connect failed; retrying", "error", err, "retry_in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("natsbus: cannot connect to NATS (start it, or set GOVSTACK_NATS_URL): %w", err)
		case <-t.C:
		}
		wait = min(wait*2, 5*time.Second)
	}
}

// MinServerVersion is the oldest NATS server the BBs work with: their consumers filter on several subjects,
// which JetStream has allowed since 2.10. (Debian 12's nats-server package is 2.9.10.)
const MinServerVersion = "2.10.0"

// checkVersion refuses a server older than MinServerVersion with a message that says what to do, rather than
// letting consumers fail one by one and retry forever.
func checkVersion(v string) error {
	if versionAtLeast(v, MinServerVersion) {
		return nil
	}
	return fmt.Errorf("natsbus: the NATS server is version %s; the building blocks need %s or newer (consumers "+
		"with several filter subjects): upgrade it (e.g. the nats:2.10 image or go install "+
		"github.com/nats-io/nats-server/v2@latest), or leave GOVSTACK_NATS_URL empty to run NATS embedded", v, MinServerVersion)
}

// versionAtLeast compares dotted versions numerically ("2.9.10" < "2.10.0"); a suffix such as -beta is ignored.
func versionAtLeast(v, min string) bool {
	have, want := versionParts(v), versionParts(min)
	for i := range want {
		if have[i] != want[i] {
			return have[i] > want[i]
		}
	}
	return true
}

func versionParts(v string) [3]int {
	var out [3]int
	core, _, _ := strings.Cut(strings.TrimPrefix(v, "v"), "-")
	for i, p := range strings.SplitN(core, ".", 3) {
		n, err := strconv.Atoi(p)
		if err != nil {
			break
		}
		out[i] = n
	}
	return out
}

// StreamName is the JetStream stream holding a BB's events: StreamName("registries") = "GOVSTACK_REGISTRIES".
func StreamName(bb string) string { return "GOVSTACK_" + strings.ToUpper(bb) }

// Subject is the NATS subject (and CloudEvents type) of an event:
// Subject("registries", "record", "created") = "govstack.registries.v1.record.created".
func Subject(bb, entity, pastTense string) string {
	return "govstack." + bb + ".v1." + entity + "." + pastTense
}

// duplicateWindow is how long JetStream remembers a Nats-Msg-Id. It only needs to cover an outbox relay's
// crash between publishing and marking rows sent, plus its restart.
const duplicateWindow = 2 * time.Minute

// EnsureStream creates the BB's stream, or updates it to the current settings when they differ. A stream
// already as it should be is left alone: several processes ensure one stream at start (its BB, and each BB
// that consumes it), and a needless update racing a consumer's creation trips a data race inside the NATS
// server (filestore.UpdateConfig against ConsumerStore, seen under -race).
func EnsureStream(ctx context.Context, js jetstream.JetStream, bb string) (jetstream.Stream, error) {
	want := jetstream.StreamConfig{
		Name:        StreamName(bb),
		Description: "events of the GovStack " + bb + " building block",
		Subjects:    []string{"govstack." + bb + ".v1.>"},
		Storage:     jetstream.FileStorage,
		Duplicates:  duplicateWindow,
	}
	s, err := js.Stream(ctx, want.Name)
	if err == nil && current(s.CachedInfo().Config, want) {
		return s, nil
	}
	if err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, fmt.Errorf("natsbus: ensure stream %s: %w", want.Name, err)
	}
	s, err = js.CreateOrUpdateStream(ctx, want)
	if err != nil {
		return nil, fmt.Errorf("natsbus: ensure stream %s: %w", want.Name, err)
	}
	return s, nil
}

// current reports whether a stream's config has the settings EnsureStream sets.
func current(have, want jetstream.StreamConfig) bool {
	return have.Description == want.Description && slices.Equal(have.Subjects, want.Subjects) &&
		have.Storage == want.Storage && have.Duplicates == want.Duplicates
}

// Drain lets nc finish what it has in flight — pending publishes flushed, subscriptions' delivered messages
// handled — and closes it, waiting at most timeout (then it closes nc anyway). Shutdown calls it after the
// tasks that use nc have stopped and before the database pools close.
func Drain(nc *nats.Conn, timeout time.Duration) error {
	closed := make(chan struct{})
	nc.SetClosedHandler(func(*nats.Conn) { close(closed) })
	if err := nc.Drain(); err != nil {
		if nc.IsClosed() {
			return nil
		}
		return fmt.Errorf("natsbus: drain: %w", err)
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-closed:
		return nil
	case <-t.C:
		nc.Close()
		return fmt.Errorf("natsbus: drain did not finish within %s; connection closed", timeout)
	}
}
