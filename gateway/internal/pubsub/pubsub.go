// Package pubsub is the Information Mediator's publish/subscribe service (GovStack_IM_PubSub_API.yaml) on
// NATS JetStream.
//
// A room is the subsystem INSTANCE/CLASS/MEMBER/SUBSYSTEM named by the four path segments after /r1; it
// hosts event types, each with a JSON Schema its payloads must satisfy. Published payloads are stored only in
// the JetStream stream GOVSTACK_IM_PUBSUB, subject govstack.im.pubsub.<room-token>.<eventType>, with
// Nats-Msg-Id = event id. Postgres keeps the event types, an index of events (no payload), subscriptions,
// delivery states and the log of delivery attempts.
//
// Every subscription owns a durable JetStream consumer filtered on its event type's subject and starting
// right after the stream's last sequence at the time it was created. JetStream keeps the position of each
// consumer, so a gateway restart neither loses nor redelivers acknowledged events, and several gateway
// replicas share the work. Push subscriptions are served by workers (Run) that POST each event and, on
// failure, NAK it with an exponential backoff delay; after MaxPushAttempts the event is terminated and
// recorded as dropped. Pull subscriptions hand out the next message over HTTP and keep its ack subject in
// Postgres until the subscriber acknowledges it; an unacknowledged event is redelivered after PullAckWait.
//
// BB events (Options.BBEvents) are event types whose events are already in a BB's stream: a subscription
// to one gets a consumer on that stream, so the same workers and pull handlers deliver them (the "bridge").
package pubsub

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/pubsub/migrations"
	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// MigrationName prefixes the goose version table (im_pubsub_migrations).
const MigrationName = "im_pubsub"

// Migrations returns the pub/sub schema.
func Migrations() pgstore.MigrationSet {
	return pgstore.MigrationSet{Name: MigrationName, FS: migrations.FS, Dir: "."}
}

// StreamName is the JetStream stream holding events published through the API.
const StreamName = "GOVSTACK_IM_PUBSUB"

// subjectPrefix is the first tokens of every subject of StreamName.
const subjectPrefix = "govstack.im.pubsub."

// Actions passed to Authorize.
const (
	ActionManage    = "manage"    // create or delete event types of the room
	ActionPublish   = "publish"   // publish events of a type
	ActionSubscribe = "subscribe" // subscribe to, pull, or receive pushes of a type
)

// AuthorizeFunc decides whether caller may do action on eventType in room (eventType is "" for actions on
// the room as a whole). nil means allowed; an error's message is returned to the caller with 403.
type AuthorizeFunc func(ctx context.Context, caller, room imident.Client, action, eventType string) error

// BBEventType offers the events of a BB's stream as an event type of Room. Name is the event type name,
// usually the subject itself (e.g. "govstack.registries.v1.record.created").
type BBEventType struct {
	Name    string
	Stream  string // e.g. "GOVSTACK_REGISTRIES"
	Subject string // e.g. "govstack.registries.v1.record.created"
	Room    imident.Client
}

// BBEvent offers the event subject of building block bb (its stream is natsbus.StreamName(bb)) in room, the
// BB's provider subsystem: BBEvent("registries", "govstack.registries.v1.record.created", provider).
func BBEvent(bb, subject string, room imident.Client) BBEventType {
	return BBEventType{Name: subject, Stream: natsbus.StreamName(bb), Subject: subject, Room: room}
}

// Backoff is the delay between push attempts: Initial, then multiplied by Multiplier per attempt up to Max,
// each with random jitter of up to half its length.
type Backoff struct {
	Initial    time.Duration
	Max        time.Duration
	Multiplier float64
}

// Options configure a Broker. Pool, JetStream and Authorize are required; zero values of the others take the
// defaults in their comments.
type Options struct {
	Pool      *pgxpool.Pool
	JetStream jetstream.JetStream
	Logger    *slog.Logger  // slog.Default()
	Authorize AuthorizeFunc // required: deny-by-default lives in the caller's rights registry

	HTTPClient      *http.Client  // client for push deliveries; a client without redirects
	PushTimeout     time.Duration // one push attempt; 10s
	PushBackoff     Backoff       // 1s, 5m, x2
	MaxPushAttempts int           // attempts before an event is dropped for a subscription; 8
	PullAckWait     time.Duration // a pulled event is redelivered if not acknowledged within it; 30s
	MaxEventBytes   int64         // largest publish request body; 256 KiB
	DefaultTTL      time.Duration // events older than this are not delivered (options.TTL overrides); 1h
	Retention       time.Duration // how long the stream keeps events; 7 days
	ResyncInterval  time.Duration // how often Run rereads push subscriptions made by other replicas; 5s

	// ValidateEndpoint may refuse a push endpoint (e.g. loopback or internal addresses, so that subscribers
	// cannot make the gateway POST into its own network); the error's message is returned with 400. nil
	// accepts every absolute http(s) URL.
	ValidateEndpoint func(*url.URL) error

	// Audit, when set, records each creation and deletion of an event type in the transaction that makes
	// it (the message log implements it; the same signature as the registry's AuditFunc). Actor is the
	// caller, target "ROOM/eventType".
	Audit func(ctx context.Context, tx pgx.Tx, actor, action, target string, detail any) error

	BBEvents []BBEventType
	Metrics  prometheus.Registerer // nil: metrics are not registered
}

// Broker serves the pub/sub API and runs deliveries. It is safe for concurrent use.
type Broker struct {
	opts    Options
	log     *slog.Logger
	metrics *metrics
	bb      map[bbKey]BBEventType

	wake    chan struct{} // nudges Run to resync its push workers
	ready   atomic.Bool   // the stream exists with our settings; spares a round trip per publish
	mu      sync.Mutex
	workers map[string]worker // by subscription id
}

type bbKey struct{ room, name string }

// New checks opts and fills in defaults. It does not touch the database or NATS; Run does.
func New(opts Options) (*Broker, error) {
	if opts.Pool == nil || opts.JetStream == nil || opts.Authorize == nil {
		return nil, errors.New("pubsub: Options.Pool, JetStream and Authorize are required")
	}
	setDefaults(&opts)
	b := &Broker{
		opts: opts, log: opts.Logger, bb: map[bbKey]BBEventType{},
		wake: make(chan struct{}, 1), workers: map[string]worker{},
	}
	for _, e := range opts.BBEvents {
		if e.Name == "" || e.Stream == "" || e.Subject == "" || e.Room == (imident.Client{}) {
			return nil, errors.New("pubsub: a BBEventType needs Name, Stream, Subject and Room")
		}
		b.bb[bbKey{e.Room.String(), e.Name}] = e
	}
	m, err := newMetrics(opts.Metrics)
	if err != nil {
		return nil, err
	}
	b.metrics = m
	return b, nil
}

func setDefaults(o *Options) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // a redirect is an answer, not a new destination to post events to
		}}
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.PushTimeout, 10*time.Second)
	def(&o.PushBackoff.Initial, time.Second)
	def(&o.PushBackoff.Max, 5*time.Minute)
	if o.PushBackoff.Multiplier < 1 {
		o.PushBackoff.Multiplier = 2
	}
	if o.MaxPushAttempts <= 0 {
		o.MaxPushAttempts = 8
	}
	def(&o.PullAckWait, 30*time.Second)
	if o.MaxEventBytes <= 0 {
		o.MaxEventBytes = 256 << 10
	}
	def(&o.DefaultTTL, time.Hour)
	def(&o.Retention, 7*24*time.Hour)
	def(&o.ResyncInterval, 5*time.Second)
}

// Register mounts the API on mux.
func (b *Broker) Register(mux rest.Mux) {
	const room = "/r1/{instanceId}/{memberClass}/{memberCode}/{applicationCode}"
	mux.Handle("POST "+room+"/api/v1/eventType", http.HandlerFunc(b.createEventType))
	mux.Handle("GET "+room+"/api/v1/eventType", http.HandlerFunc(b.listEventTypes))
	mux.Handle("GET "+room+"/api/v1/eventType/{eventType}", http.HandlerFunc(b.getEventType))
	mux.Handle("DELETE "+room+"/api/v1/eventType/{eventType}", http.HandlerFunc(b.deleteEventType))
	mux.Handle("POST "+room+"/pub/v1/{eventType}", http.HandlerFunc(b.publish))
	mux.Handle("GET "+room+"/pub/v1/{eventType}/{eventId}", http.HandlerFunc(b.eventStatus))
	mux.Handle("DELETE "+room+"/pub/v1/{eventType}/{eventId}", http.HandlerFunc(b.deleteEvent))
	mux.Handle("GET "+room+"/api/v1/subs", http.HandlerFunc(b.listSubs))
	mux.Handle("POST "+room+"/api/v1/subs/{eventType}", http.HandlerFunc(b.addSub))
	mux.Handle("GET "+room+"/api/v1/subs/{eventType}", http.HandlerFunc(b.getSub))
	mux.Handle("PATCH "+room+"/api/v1/subs/{eventType}", http.HandlerFunc(b.patchSub))
	mux.Handle("DELETE "+room+"/api/v1/subs/{eventType}", http.HandlerFunc(b.deleteSub))
	mux.Handle("GET "+room+"/pull/v1/{eventType}", http.HandlerFunc(b.pull))
	mux.Handle("DELETE "+room+"/pull/v1/{eventType}/{eventId}", http.HandlerFunc(b.ack))
}

// ensureStream makes sure the stream exists, creating it on first use (the handlers may serve requests
// before Run has created it).
func (b *Broker) ensureStream(ctx context.Context) error {
	if b.ready.Load() {
		return nil
	}
	_, err := b.EnsureStream(ctx)
	return err
}

// EnsureStream creates or updates the IM's event stream.
func (b *Broker) EnsureStream(ctx context.Context) (jetstream.Stream, error) {
	s, err := b.opts.JetStream.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        StreamName,
		Description: "events published through the GovStack Information Mediator pub/sub API",
		Subjects:    []string{subjectPrefix + ">"},
		Storage:     jetstream.FileStorage,
		MaxAge:      b.opts.Retention,
		Duplicates:  2 * time.Minute,
	})
	b.ready.Store(err == nil)
	return s, err
}
