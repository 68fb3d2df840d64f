// Package seal keeps bids unreadable until their tender's period ends. Each tender gets its own X25519 key
// pair at publication; its private key is stored only wrapped (AES-256-GCM) by the service key, which lives
// in a file outside the database (GOVSTACK_PROCUREMENT_SEAL_KEY_FILE). A bid is sealed to the tender's public
// key (ephemeral X25519, HKDF-SHA256, AES-256-GCM with the bid id as associated data), so sealing needs no
// secret at all: the tender's private key is unwrapped only by the consumer of the tender period's
// deadline.reached event, to open the bids. An operator with database access reads ciphertext.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const (
	keySize   = 32
	pubSize   = 32
	nonceSize = 12
	info      = "govstack-procurement-bid-v1"
)

// ErrOpen is returned when a sealed bid or wrapped key does not open: wrong key, or tampered data.
var ErrOpen = errors.New("seal: cannot open: wrong key or altered data")

// Keyring holds the service key.
type Keyring struct {
	aead cipher.AEAD
}

// New returns a keyring on a 32-byte service key.
func New(key []byte) (*Keyring, error) {
	if len(key) != keySize {
		return nil, fmt.Errorf("seal: the service key must be %d bytes, not %d", keySize, len(key))
	}
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	return &Keyring{aead: aead}, nil
}

// LoadFile reads a service key file: 64 hex characters. With create, a missing file is made with a new
// random key (mode 0600), as govstack dev does under its data folder.
func LoadFile(path string, create bool) (*Keyring, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && create {
		key := make([]byte, keySize)
		_, _ = rand.Read(key)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("seal: %w", err)
		}
		if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("seal: %w", err)
		}
		return New(key)
	}
	if err != nil {
		return nil, fmt.Errorf("seal: read the service key (GOVSTACK_PROCUREMENT_SEAL_KEY_FILE): %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil {
		return nil, fmt.Errorf("seal: %s is not 64 hex characters (make one with: openssl rand -hex 32)", path)
	}
	return New(key)
}

// TenderKey makes a tender's key pair: the public key bids are sealed to, and the private key wrapped by
// the service key, bound to the tender's id.
func (k *Keyring) TenderKey(tenderID string) (public, wrapped []byte, err error) {
	priv, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	nonce := make([]byte, nonceSize)
	_, _ = rand.Read(nonce)
	return priv.PublicKey().Bytes(), k.aead.Seal(nonce, nonce, priv.Bytes(), []byte("tender:"+tenderID)), nil
}

// Unwrap returns the tender's private key: only when its period has ended.
func (k *Keyring) Unwrap(tenderID string, wrapped []byte) (*ecdh.PrivateKey, error) {
	if len(wrapped) < nonceSize {
		return nil, ErrOpen
	}
	raw, err := k.aead.Open(nil, wrapped[:nonceSize], wrapped[nonceSize:], []byte("tender:"+tenderID))
	if err != nil {
		return nil, ErrOpen
	}
	return ecdh.X25519().NewPrivateKey(raw)
}

// Seal encrypts a bid's contents to the tender's public key, bound to the bid's id.
func Seal(public []byte, bidID string, plaintext []byte) ([]byte, error) {
	pub, err := ecdh.X25519().NewPublicKey(public)
	if err != nil {
		return nil, fmt.Errorf("seal: the tender's public key: %w", err)
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	aead, err := bidCipher(eph, pub)
	if err != nil {
		return nil, err
	}
	out := append([]byte{}, eph.PublicKey().Bytes()...)
	nonce := make([]byte, nonceSize)
	_, _ = rand.Read(nonce)
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plaintext, []byte("bid:"+bidID)), nil
}

// Open decrypts a sealed bid with the tender's private key.
func Open(priv *ecdh.PrivateKey, bidID string, sealed []byte) ([]byte, error) {
	if len(sealed) < pubSize+nonceSize {
		return nil, ErrOpen
	}
	eph, err := ecdh.X25519().NewPublicKey(sealed[:pubSize])
	if err != nil {
		return nil, ErrOpen
	}
	aead, err := bidCipher(priv, eph)
	if err != nil {
		return nil, err
	}
	plain, err := aead.Open(nil, sealed[pubSize:pubSize+nonceSize], sealed[pubSize+nonceSize:], []byte("bid:"+bidID))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// bidCipher derives the AES-256-GCM key of one sealed bid from the X25519 exchange of mine and theirs.
func bidCipher(mine *ecdh.PrivateKey, theirs *ecdh.PublicKey) (cipher.AEAD, error) {
	shared, err := mine.ECDH(theirs)
	if err != nil {
		return nil, ErrOpen
	}
	// Both public keys salt the derivation, in a fixed order (ephemeral first is not known to both sides'
	// roles, so sort them) so the key is bound to this exchange.
	a, b := mine.PublicKey().Bytes(), theirs.Bytes()
	if string(a) > string(b) {
		a, b = b, a
	}
	key, err := hkdf.Key(sha256.New, shared, append(append([]byte{}, a...), b...), info, keySize)
	if err != nil {
		return nil, err
	}
	return gcm(key)
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
