package msglog

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/govstackbb/marketplace/gateway/internal/keyfile"
)

// KeyID names a public key in records: the first 8 bytes of its SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:8])
}

// LoadOrCreateKey reads the message log's signing key at path, or creates it (keyfile.LoadOrCreate).
func LoadOrCreateKey(path string) (ed25519.PrivateKey, error) {
	if path == "" {
		return nil, errors.New("msglog: the signing key file is not set (GOVSTACK_GATEWAY_LOG_KEY_FILE)")
	}
	return keyfile.LoadOrCreate(path)
}

// LoadPublicKeys reads verification keys (keyfile.LoadPublicKeys).
func LoadPublicKeys(paths ...string) ([]ed25519.PublicKey, error) {
	return keyfile.LoadPublicKeys(paths...)
}
