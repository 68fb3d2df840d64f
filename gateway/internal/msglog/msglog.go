// Package msglog is the Information Mediator's message log and audit log: one record per request and per
// response that passes through the IM (who called which service and endpoint, when, with what status, how
// many bytes and the SHA-256 of the body; the body itself only when configured), and one record per admin
// change. Records are hash-chained and signed with Ed25519, so Verify finds the first tampered, re-chained
// or missing record of every chain.
//
// Each Writer (one per gateway process) owns its own chain, so replicas never contend for a chain head;
// the audit log is one chain shared by all replicas, appended inside the admin change's transaction.
package msglog

import (
	"log/slog"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/msglog/migrations"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/prometheus/client_golang/prometheus"
)

// MigrationName is the message log's goose version table prefix (im_msglog_migrations).
const MigrationName = "im_msglog"

// Migrations returns the message log's schema.
func Migrations() pgstore.MigrationSet {
	return pgstore.MigrationSet{Name: MigrationName, FS: migrations.FS, Dir: "."}
}

// Defaults for Options left zero.
const (
	DefaultQueueSize    = 4096
	DefaultBatchSize    = 256
	DefaultAppendWait   = 50 * time.Millisecond
	DefaultMaxBodyBytes = 64 << 10
	DefaultRetention    = 90 * 24 * time.Hour
	DefaultDrainTimeout = 10 * time.Second
)

// Options are the message log's settings; the gateway fills them from its configuration.
type Options struct {
	// KeyFile is the Ed25519 signing key (PKCS#8 PEM), created with mode 0600 when missing; its public key
	// is written next to it as KeyFile+".pub". GOVSTACK_GATEWAY_LOG_KEY_FILE, default
	// <GOVSTACK_DATA_DIR>/gateway/message-log.key.
	KeyFile string
	// Bodies keeps request and response bodies (up to MaxBodyBytes each) in the log. Off by default: bodies
	// hold personal data. GOVSTACK_GATEWAY_LOG_BODIES.
	Bodies bool
	// MaxBodyBytes caps a kept body; the hash and size always cover the whole body.
	MaxBodyBytes int64
	// Retention is how long records are kept (GOVSTACK_GATEWAY_LOG_RETENTION, default 90 days; 0 = default,
	// negative = keep forever).
	Retention time.Duration
	// QueueSize bounds the records waiting for the background writer (GOVSTACK_GATEWAY_LOG_QUEUE_SIZE).
	QueueSize int
	// BatchSize is the most records written in one transaction.
	BatchSize int
	// AppendWait is the longest Append waits for room in a full queue before dropping the record.
	AppendWait time.Duration
	// DrainTimeout bounds writing what is still queued once Run's context ends.
	DrainTimeout time.Duration
	// Checkpoints, when set, receives a signed checkpoint of each chain's head every CheckpointEvery, so a
	// cut tail shows in verify-log (the gateway keeps them in JetStream: OpenCheckpoints).
	Checkpoints Checkpoints
	// CheckpointEvery is how often a moving head is anchored (DefaultCheckpointEvery).
	CheckpointEvery time.Duration
	// Keyring is where the history of signing keys is kept (KeyringPath(KeyFile) by default); Open records
	// the key it signs with there.
	Keyring string
	// Registerer receives the writer's metrics; nil registers none.
	Registerer prometheus.Registerer
	// Logger receives drop and write errors; nil means slog.Default().
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.Retention == 0 {
		o.Retention = DefaultRetention
	}
	if o.QueueSize <= 0 {
		o.QueueSize = DefaultQueueSize
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.AppendWait <= 0 {
		o.AppendWait = DefaultAppendWait
	}
	if o.DrainTimeout <= 0 {
		o.DrainTimeout = DefaultDrainTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.CheckpointEvery <= 0 {
		o.CheckpointEvery = DefaultCheckpointEvery
	}
	if o.Keyring == "" && o.KeyFile != "" {
		o.Keyring = KeyringPath(o.KeyFile)
	}
	return o
}

// Direction says what a record is about.
type Direction string

// The kinds of record.
const (
	Request  Direction = "request"
	Response Direction = "response"
	Audit    Direction = "audit"
	// Note is a record the writer adds itself: that records were dropped or set aside (Record.Dropped).
	Note Direction = "note"
)

// Record is one entry of the log. The caller fills the content; the writer fills the chain fields.
type Record struct {
	MessageID string    // the request id (X-Request-Id), shared by a request and its response
	Direction Direction // request, response or audit
	Client    string    // authenticated caller INSTANCE/CLASS/MEMBER/SUBSYSTEM, "" when anonymous
	Service   string    // INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICECODE, "" when no service was reached
	Endpoint  string    // gRPC full method, or "METHOD /route/pattern"
	Method    string    // HTTP method (or "POST" for gRPC)
	Path      string    // URL path without the query string: the query may carry personal data
	Started   time.Time // when the request arrived
	Finished  time.Time // when the response was complete
	Status    int       // HTTP status of the response (0 on request records)
	Size      int64     // body bytes in this direction
	BodySHA   []byte    // SHA-256 of the whole body in this direction (empty when there was none)
	Body      []byte    // the body, only when Options.Bodies (capped at MaxBodyBytes)
	TraceID   string    // W3C trace id
	CorrID    string    // correlation id carried from call to call
	Actor     string    // audit: who made the change
	Action    string    // audit: what kind of change ("rights.allow")
	Target    string    // audit: what was changed
	Detail    string    // audit: JSON detail

	// Filled by the writer.
	Chain     string
	Seq       int64
	LoggedAt  time.Time
	KeyID     string
	Dropped   int64 // records the writer dropped (queue full) between the previous record and this one
	PrevHash  []byte
	Hash      []byte
	Signature []byte
}
