package msglog

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// A hash chain shows a changed or removed record, but not a removed tail: delete the last records, move the
// chain head back, and what is left is a valid chain. So the log is anchored outside the database it lives
// in (issue 12): every CheckpointEvery each writer signs its chain's head (sequence number and hash) and
// appends it to a JetStream stream of its own, which refuses deletes and purges; verify-log compares every
// chain with its latest checkpoint and reports a chain that ends before it, or whose record at the
// checkpoint has another hash.

// CheckpointStream is the JetStream stream that holds the checkpoints.
const CheckpointStream = "GOVSTACK_IM_MSGLOG_CHECKPOINTS"

const checkpointSubjects = "govstack.im.msglog.checkpoint."

// DefaultCheckpointEvery is how often a moving chain head is anchored (GOVSTACK_GATEWAY_LOG_CHECKPOINT_INTERVAL).
// A writer that stops cleanly also anchors its last record, so only a crash leaves up to this much of a
// chain's tail without a checkpoint: shorter narrows that window, at one JetStream message per interval
// per writer while records flow.
const DefaultCheckpointEvery = 10 * time.Second

// checkpointVersion starts every checkpoint's signed encoding.
const checkpointVersion = "govstack-im-msglog-checkpoint/v1"

// Checkpoint is a signed statement that chain had record seq, with hash, at LoggedAt.
type Checkpoint struct {
	Chain     string    `json:"chain"`
	Seq       int64     `json:"seq"`
	Hash      []byte    `json:"hash"`
	LoggedAt  time.Time `json:"loggedAt"`
	KeyID     string    `json:"keyId"`
	Signature []byte    `json:"signature"`
}

func (c *Checkpoint) signed() []byte {
	b := appendString(nil, checkpointVersion)
	b = appendString(b, c.Chain)
	b = binary.BigEndian.AppendUint64(b, uint64(c.Seq))
	b = appendBytes(b, c.Hash)
	b = appendTime(b, c.LoggedAt)
	b = appendString(b, c.KeyID)
	h := sha256.Sum256(b)
	return h[:]
}

func (c *Checkpoint) sign(key ed25519.PrivateKey, keyID string) {
	c.KeyID = keyID
	c.Signature = ed25519.Sign(key, c.signed())
}

// Checkpoints is where checkpoints are kept.
type Checkpoints interface {
	Publish(ctx context.Context, c Checkpoint) error
	// Latest returns the newest checkpoint of every chain.
	Latest(ctx context.Context) (map[string]Checkpoint, error)
}

// JetStreamCheckpoints keeps checkpoints in CheckpointStream.
type JetStreamCheckpoints struct {
	js     jetstream.JetStream
	stream jetstream.Stream
}

// OpenCheckpoints creates (or updates) the checkpoint stream. It keeps the last 100 checkpoints of each
// chain for at least the log's retention (negative: for ever) and refuses deletes and purges.
func OpenCheckpoints(ctx context.Context, js jetstream.JetStream, retention time.Duration) (*JetStreamCheckpoints, error) {
	maxAge := time.Duration(0)
	if retention > 0 {
		maxAge = retention + 30*24*time.Hour // a checkpoint outlives the records it anchors
	}
	s, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: CheckpointStream, Subjects: []string{checkpointSubjects + "*"},
		Description:       "Signed heads of the IM's message-log chains (issue 12): verify-log detects a cut tail with them",
		Storage:           jetstream.FileStorage,
		MaxAge:            maxAge,
		MaxMsgsPerSubject: 100,
		DenyDelete:        true,
		DenyPurge:         true,
	})
	if err != nil {
		return nil, fmt.Errorf("msglog: checkpoint stream: %w", err)
	}
	return &JetStreamCheckpoints{js: js, stream: s}, nil
}

// ReadCheckpoints opens the checkpoint stream for reading (verify-log): unlike OpenCheckpoints it creates
// nothing, so a NATS server that is not the gateway's is an error instead of an empty, reassuring stream.
func ReadCheckpoints(ctx context.Context, js jetstream.JetStream) (*JetStreamCheckpoints, error) {
	s, err := js.Stream(ctx, CheckpointStream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, fmt.Errorf("this NATS server has no stream %s, where the gateway writes the checkpoints", CheckpointStream)
	}
	if err != nil {
		return nil, fmt.Errorf("msglog: checkpoint stream: %w", err)
	}
	return &JetStreamCheckpoints{js: js, stream: s}, nil
}

// Publish appends c and waits for JetStream's acknowledgement.
func (s *JetStreamCheckpoints) Publish(ctx context.Context, c Checkpoint) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = s.js.Publish(ctx, checkpointSubjects+c.Chain, b)
	return err
}

// Latest reads the last checkpoint of every chain in the stream.
func (s *JetStreamCheckpoints) Latest(ctx context.Context) (map[string]Checkpoint, error) {
	info, err := s.stream.Info(ctx, jetstream.WithSubjectFilter(checkpointSubjects+"*"))
	if err != nil {
		return nil, fmt.Errorf("msglog: read checkpoints: %w", err)
	}
	out := map[string]Checkpoint{}
	for subject := range info.State.Subjects {
		msg, err := s.stream.GetLastMsgForSubject(ctx, subject)
		if err != nil {
			return nil, fmt.Errorf("msglog: read checkpoint %s: %w", subject, err)
		}
		var c Checkpoint
		if err := json.Unmarshal(msg.Data, &c); err != nil || c.Chain != strings.TrimPrefix(subject, checkpointSubjects) {
			// Kept so verify-log reports it rather than skipping what someone wrote into the stream.
			c = Checkpoint{Chain: strings.TrimPrefix(subject, checkpointSubjects)}
		}
		out[c.Chain] = c
	}
	return out, nil
}

// anchor signs and publishes the head of chain when it moved since the last checkpoint and CheckpointEvery
// has passed; failures are counted and logged, and tried again at the next tick.
type anchor struct {
	log      *Log
	chain    string
	lastSeq  int64
	lastTime time.Time
}

func (a *anchor) maybe(ctx context.Context, seq int64, hash []byte, loggedAt time.Time, force bool) {
	l := a.log
	if l.opts.Checkpoints == nil || seq <= a.lastSeq {
		return
	}
	if !force && time.Since(a.lastTime) < l.opts.CheckpointEvery {
		return
	}
	c := Checkpoint{Chain: a.chain, Seq: seq, Hash: hash, LoggedAt: loggedAt}
	c.sign(l.key, l.keyID)
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := l.opts.Checkpoints.Publish(pctx, c); err != nil {
		l.checkpointErrors.Inc()
		l.opts.Logger.Warn("message log checkpoint not published; retrying at the next tick", "chain", a.chain, "seq", seq, "error", err)
		return
	}
	a.lastSeq, a.lastTime = seq, time.Now()
}

// checkAgainst compares a chain's walk with its checkpoint: the chain must reach the checkpoint, and its
// record there must have the checkpoint's hash.
func (c Checkpoint) checkAgainst(report *ChainReport, hashAt map[int64][]byte, trusted map[string]TrustedKey) *Problem {
	key, ok := trusted[c.KeyID]
	if !ok || len(c.Signature) == 0 || !ed25519.Verify(key.Public, c.signed(), c.Signature) {
		return &Problem{Seq: c.Seq, Kind: BadCheckpoint, Detail: "the chain's latest checkpoint is not signed by a trusted key"}
	}
	switch {
	case report.HeadSeq < c.Seq:
		return &Problem{Seq: report.HeadSeq + 1, Kind: Truncated, Detail: fmt.Sprintf(
			"the chain ends at %d, but a checkpoint of %s says it had record %d: records %d..%d were removed",
			report.HeadSeq, c.LoggedAt.Format(time.RFC3339), c.Seq, report.HeadSeq+1, c.Seq)}
	case c.Seq >= report.FirstSeq && hashAt[c.Seq] != nil && string(hashAt[c.Seq]) != string(c.Hash):
		return &Problem{Seq: c.Seq, Kind: Tampered, Detail: "its hash is not the one the chain's checkpoint recorded"}
	}
	return nil
}
