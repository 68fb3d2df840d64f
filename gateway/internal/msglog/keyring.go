package msglog

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// The keyring is the history of the message log's signing keys, kept next to the key file
// (<GOVSTACK_GATEWAY_LOG_KEY_FILE>.keyring, one JSON object per line): every public key the gateway has
// signed with, from when, and until the next one took over. Records outlive keys — a 90-day log spans a
// rotation — so verify-log needs them all, and a record signed with a key outside that key's period is
// suspect (a retired key that leaked). The keyring lives with the key on the gateway host, not in the
// database it vouches for.

// TrustedKey is a public key that verifies records logged between From and Until (zero: unbounded).
type TrustedKey struct {
	Public      ed25519.PublicKey
	From, Until time.Time
}

// keyringEntry is one line of the keyring file.
type keyringEntry struct {
	KeyID     string     `json:"keyId"`
	PublicKey string     `json:"publicKey"` // PEM
	From      time.Time  `json:"from"`
	Until     *time.Time `json:"until,omitempty"` // set when the next key took over
}

// KeyringPath is where the keyring of the key at keyFile is kept.
func KeyringPath(keyFile string) string { return keyFile + ".keyring" }

// RecordKey adds pub to the keyring at path as the key in use from now, closing the period of the key it
// replaces. Recording the key already in use changes nothing, so every start may call it.
func RecordKey(path string, pub ed25519.PublicKey, now time.Time) error {
	entries, err := readKeyring(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	id := KeyID(pub)
	for _, e := range entries {
		if e.KeyID == id && e.Until == nil {
			return nil
		}
	}
	for i := range entries {
		if entries[i].Until == nil {
			entries[i].Until = &now
		}
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return err
	}
	entries = append(entries, keyringEntry{KeyID: id, From: now,
		PublicKey: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))})
	return writeKeyring(path, entries)
}

// ReadKeyring returns the keys of the keyring at path with their periods.
func ReadKeyring(path string) ([]TrustedKey, error) {
	entries, err := readKeyring(path)
	if err != nil {
		return nil, err
	}
	keys := make([]TrustedKey, 0, len(entries))
	for _, e := range entries {
		pub, err := parsePublicPEM([]byte(e.PublicKey))
		if err != nil {
			return nil, fmt.Errorf("msglog: keyring %s, key %s: %w", path, e.KeyID, err)
		}
		k := TrustedKey{Public: pub, From: e.From}
		if e.Until != nil {
			k.Until = *e.Until
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func readKeyring(path string) ([]keyringEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var entries []keyringEntry
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var e keyringEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("msglog: keyring %s line %d: %w", path, line, err)
		}
		entries = append(entries, e)
	}
	return entries, sc.Err()
}

// writeKeyring replaces the file atomically (write a temporary file, rename), so a crash leaves the old or
// the new keyring, never half of one.
func writeKeyring(path string, entries []keyringEntry) error {
	var b bytes.Buffer
	for _, e := range entries {
		line, err := json.Marshal(e)
		if err != nil {
			return err
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("msglog: write keyring: %w", err)
	}
	return os.Rename(tmp, path)
}

func parsePublicPEM(data []byte) (ed25519.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, errors.New("not a PEM PUBLIC KEY")
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, errors.New("not an Ed25519 key")
	}
	return pub, nil
}

// validAt reports whether k may have signed a record logged at t. The bounds allow for clock skew between
// the replica that signed and the one that wrote the keyring.
func (k TrustedKey) validAt(t time.Time) bool {
	const skew = 5 * time.Minute
	return (k.From.IsZero() || !t.Before(k.From.Add(-skew))) && (k.Until.IsZero() || !t.After(k.Until.Add(skew)))
}
