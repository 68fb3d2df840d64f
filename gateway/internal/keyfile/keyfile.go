// Package keyfile keeps the gateway's Ed25519 keys in PEM files: the key that signs the message log and the
// key that signs the IM's assertions to the building blocks. A key is created on first start when missing,
// and its public half is published next to it (<file>.pub).
package keyfile

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LoadOrCreate reads the Ed25519 signing key at path, or creates it (mode 0600, directory 0700) when the
// file does not exist. The public key is (re)written to path+".pub" for verifiers (best effort for a key
// that already existed). Replicas starting together
// on a shared path agree on one key: creation is exclusive, and the loser reads the winner's key.
func LoadOrCreate(path string) (ed25519.PrivateKey, error) {
	key, err := readPrivateKey(path)
	created := false
	if errors.Is(err, fs.ErrNotExist) {
		key, err = createKey(path)
		created = err == nil
		if errors.Is(err, fs.ErrExist) {
			key, err = readPrivateKey(path)
		}
	}
	if err != nil {
		return nil, err
	}
	// A key the operator provides may sit on a read-only mount (a Kubernetes Secret); the .pub next to it
	// is then theirs to publish, so only a key we created must have it written.
	if err := WritePublicKey(path+".pub", key.Public().(ed25519.PublicKey)); err != nil && created {
		return nil, err
	}
	return key, nil
}

func createKey(path string) (ed25519.PrivateKey, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("keyfile: create key directory: %w", err)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("keyfile: write key %s: %w", path, err)
	}
	return key, f.Close()
}

func readPrivateKey(path string) (ed25519.PrivateKey, error) {
	block, err := readPEM(path)
	if err != nil {
		return nil, err
	}
	if block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("keyfile: %s holds a %q, want an Ed25519 PRIVATE KEY", path, block.Type)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("keyfile: %s: %w", path, err)
	}
	key, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("keyfile: %s is not an Ed25519 key", path)
	}
	return key, nil
}

func readPEM(path string) (*pem.Block, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("keyfile: %s holds no PEM block", path)
	}
	return block, nil
}

// WritePublicKey writes pub to path as a PEM PUBLIC KEY, unless the file already holds it.
func WritePublicKey(path string, pub ed25519.PublicKey) error {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return err
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	if old, err := os.ReadFile(path); err == nil && string(old) == string(data) {
		return nil
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("keyfile: publish public key: %w", err)
	}
	return nil
}

// LoadPublicKeys reads verification keys: each path holds an Ed25519 PUBLIC KEY or a PRIVATE KEY (whose
// public half is used), so `gateway verify-log` works with either the published .pub file or the key file.
func LoadPublicKeys(paths ...string) ([]ed25519.PublicKey, error) {
	var keys []ed25519.PublicKey
	for _, path := range paths {
		block, err := readPEM(path)
		if err != nil {
			return nil, fmt.Errorf("keyfile: read key: %w", err)
		}
		switch block.Type {
		case "PRIVATE KEY":
			key, err := readPrivateKey(path)
			if err != nil {
				return nil, err
			}
			keys = append(keys, key.Public().(ed25519.PublicKey))
		case "PUBLIC KEY":
			k, err := x509.ParsePKIXPublicKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("keyfile: %s: %w", path, err)
			}
			pub, ok := k.(ed25519.PublicKey)
			if !ok {
				return nil, fmt.Errorf("keyfile: %s is not an Ed25519 key", path)
			}
			keys = append(keys, pub)
		default:
			return nil, fmt.Errorf("keyfile: %s holds a %q, want an Ed25519 PUBLIC KEY or PRIVATE KEY", path, block.Type)
		}
	}
	return keys, nil
}
