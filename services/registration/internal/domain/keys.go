package domain

import (
	"crypto/ed25519"
	"crypto/rand"
	"time"

	"github.com/google/uuid"
)

// SigningKey is one Ed25519 access-token signing key.
type SigningKey struct {
	KID     string
	Private ed25519.PrivateKey
	Created time.Time
}

// PublicKey is a published verification key.
type PublicKey struct {
	KID     string
	Public  ed25519.PublicKey
	Created time.Time
}

// NewSigningKey makes a fresh key created at now.
func NewSigningKey(now time.Time) (SigningKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return SigningKey{}, err
	}
	return SigningKey{KID: uuid.NewString(), Private: priv, Created: now}, nil
}

// KeyDue reports whether a new signing key is needed at now: always when there is none (found false);
// otherwise, unless onlyIfNone, when the newest is at least rotation old.
func KeyDue(newest SigningKey, found bool, now time.Time, rotation time.Duration, onlyIfNone bool) bool {
	if !found {
		return true
	}
	return !onlyIfNone && now.Sub(newest.Created) >= rotation
}

// AuditEntry is one administrator or operator decision, kept in the append-only audit table.
type AuditEntry struct {
	At      time.Time
	ActorID string         // the deciding account
	Action  string         // e.g. "task.complete", "application.update", "staff.register"
	Subject string         // what it was about: a file id, task id, hospital id
	Detail  map[string]any // the decision's data (no passwords or tokens)
}
