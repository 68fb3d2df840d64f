package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"strings"

	"github.com/govstackbb/marketplace/gateway/internal/mediate"
	"github.com/govstackbb/marketplace/gateway/internal/msglog"
	"github.com/govstackbb/marketplace/gateway/internal/pubsub"
	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
)

// pubsubService is the service code under which a room's pub/sub rights are granted: endpoint
// "<action>:<eventType>" (or "*"), e.g. "subscribe:govstack.registries.v1.record.created".
const pubsubService = "pubsub"

// authorizePubSub lets a subsystem do anything in its own room, an admin anything anywhere, and anyone else
// what the room's owner granted on its pub/sub service.
func (m *im) authorizePubSub(ctx context.Context, caller, room imident.Client, action, eventType string) error {
	if caller == room {
		return nil
	}
	if admin, err := m.registry.IsAdmin(ctx, caller); err == nil && admin {
		return nil
	}
	svc := mediate.Service{Provider: room, Code: pubsubService, Enabled: true}
	endpoint := action + ":" + eventType
	ok, reason, err := m.registry.Allowed(ctx, caller, svc, endpoint)
	switch {
	case err != nil:
		return errors.New("the IM cannot check access rights right now; retry shortly")
	case !ok:
		msg := caller.String() + " may not " + action + " " + eventType + " in room " + room.String()
		if reason != "" {
			msg += ": " + reason
		}
		return errors.New(msg + "; ask the room's owner to grant " + pubsubService + " endpoint " + endpoint)
	}
	return nil
}

// bbEventTypes offers the events each BB publishes on its stream GOVSTACK_<BB> (the catalog's) as pub/sub
// event types in the BB provider's room. The account events of Registration carry single-use activation and
// reset links (for Messaging's e-mails): grant subscriptions to them only to a client that may act for the
// account holder.
func bbEventTypes(cfg Config, bbs []string) []pubsub.BBEventType {
	var out []pubsub.BBEventType
	for _, bb := range bbs {
		b, _ := catalog.Lookup(bb)
		for _, subject := range b.Events {
			out = append(out, pubsub.BBEventType{Name: subject, Stream: natsbus.StreamName(bb), Subject: subject, Room: cfg.Provider(bb)})
		}
	}
	return out
}

// pushEndpointPolicy keeps subscribers from making the gateway POST into its own network: a push endpoint
// must be http(s) on a public address. Development mode allows loopback and private addresses, where a
// developer's receiver runs.
func pushEndpointPolicy(dev bool) func(*url.URL) error {
	return func(u *url.URL) error {
		if u.Scheme != "https" && u.Scheme != "http" {
			return errors.New("the push endpoint must be an http or https URL")
		}
		if dev {
			return nil
		}
		host := u.Hostname()
		if host == "localhost" || strings.HasSuffix(host, ".localhost") {
			return errors.New("the push endpoint must not be a loopback address")
		}
		ips, err := net.LookupIP(host)
		if err != nil || len(ips) == 0 {
			return fmt.Errorf("the push endpoint's host %s does not resolve", host)
		}
		for _, ip := range ips {
			if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified() || ip.IsMulticast() {
				return fmt.Errorf("the push endpoint's host %s is an internal address (%s); use a public endpoint", host, ip)
			}
		}
		return nil
	}
}

// IssueAPIKey registers client in the IM database and issues it an API key (plaintext, shown once), making
// it an admin when admin is set: `gateway issue-key` / `gateway admin-key`, and tools that set up a stack.
// The change is in the audit log.
func IssueAPIKey(ctx context.Context, cfg Config, pool *pgxpool.Pool, client imident.Client, admin bool) (key, id string, err error) {
	l, err := msglog.Open(ctx, pool, msglog.Options{KeyFile: cfg.MessageLogKeyFile()})
	if err != nil {
		return "", "", err
	}
	reg := registry.New(pool, l.Audit)
	if err := reg.RegisterSubsystem(ctx, client); err != nil {
		return "", "", err
	}
	if admin {
		return reg.BootstrapAdminKey(ctx, client)
	}
	return reg.IssueAPIKey(ctx, client)
}

// ErrCheckpointsNeeded is VerifyLog's answer without a JetStream to read the checkpoints from.
var ErrCheckpointsNeeded = errors.New("verify-log needs the message log's checkpoints to see a cut tail (the last records " +
	"deleted and the chain head moved back), and has no NATS to read them from: set GOVSTACK_NATS_URL to the NATS " +
	"server the gateway writes them to (stream " + msglog.CheckpointStream + "), or run `gateway verify-log " +
	"--no-checkpoints` to check the chains alone, knowing that a cut tail then cannot be detected")

// VerifyLog checks every chain of the message and audit logs in pool and writes the report to out:
// `gateway verify-log`. It trusts every key of the keyring next to the signing key (each in its period),
// the signing key itself and GOVSTACK_GATEWAY_LOG_VERIFY_KEYS, and compares each chain with its latest
// checkpoint in JetStream. Without js (ErrCheckpointsNeeded), or when the checkpoints cannot be read, it
// fails rather than report a log whose tail may have been cut as intact. It returns an error when any chain
// is broken.
func VerifyLog(ctx context.Context, cfg Config, pool *pgxpool.Pool, js jetstream.JetStream, out io.Writer) error {
	if js == nil {
		return ErrCheckpointsNeeded
	}
	o, err := verifyOptions(cfg)
	if err != nil {
		return err
	}
	cps, err := msglog.ReadCheckpoints(ctx, js)
	if err == nil {
		o.Checkpoints, err = cps.Latest(ctx)
	}
	if err != nil {
		return fmt.Errorf("verify-log cannot read the message log's checkpoints from GOVSTACK_NATS_URL, so it could not see a "+
			"cut tail: %w (is it the NATS server the gateway writes them to? `gateway verify-log --no-checkpoints` checks "+
			"the chains alone)", err)
	}
	return msglog.VerifyCommand(ctx, pool, o, out)
}

// VerifyLogWithoutCheckpoints is VerifyLog without the checkpoints, for an operator who asked for it
// (`gateway verify-log --no-checkpoints`): every record, link and signature is checked, but a cut tail
// cannot be detected, and the report says so.
func VerifyLogWithoutCheckpoints(ctx context.Context, cfg Config, pool *pgxpool.Pool, out io.Writer) error {
	o, err := verifyOptions(cfg)
	if err != nil {
		return err
	}
	o.CheckpointsNote = "--no-checkpoints"
	return msglog.VerifyCommand(ctx, pool, o, out)
}

func verifyOptions(cfg Config) (msglog.VerifyOptions, error) {
	var o msglog.VerifyOptions
	keyFile := cfg.MessageLogKeyFile()
	ring, err := msglog.ReadKeyring(msglog.KeyringPath(keyFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return o, err
	}
	o.Keys = ring
	files := splitList(cfg.LogVerifyKeys)
	if len(ring) == 0 {
		files = append(files, keyFile) // no keyring: the key file (or its .pub) is all there is
	}
	extra, err := msglog.LoadPublicKeys(files...)
	if err != nil {
		return o, err
	}
	for _, k := range extra {
		o.Keys = append(o.Keys, msglog.TrustedKey{Public: k})
	}
	return o, nil
}
