package app

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"strings"
)

// Keys are the configured API keys. Only SHA-256 hashes are kept in memory; a presented key is hashed and
// compared with every configured hash in constant time, so neither timing nor a memory dump reveals a key.
type Keys struct {
	names  []string
	hashes [][32]byte
}

// MinKeyLen is the shortest API key accepted in production: 16 characters. A development machine
// (GOVSTACK_MESSAGING_DEV_MODE) accepts any length, so a newcomer may try the API with "apiKey: test".
const MinKeyLen = 16

// ParseKeys reads GOVSTACK_MESSAGING_API_KEYS: comma-separated name=key pairs, each key at least minLen
// characters.
func ParseKeys(s string, minLen int) (Keys, error) {
	var k Keys
	seen := map[string]bool{}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		name, key, ok := strings.Cut(pair, "=")
		name, key = strings.TrimSpace(name), strings.TrimSpace(key)
		if !ok || name == "" || key == "" {
			return Keys{}, fmt.Errorf("GOVSTACK_MESSAGING_API_KEYS: want comma-separated name=key pairs (entry %d is not one)", len(k.names)+1)
		}
		if len(key) < minLen {
			return Keys{}, fmt.Errorf("GOVSTACK_MESSAGING_API_KEYS: the key of %q is %d characters; a key needs at least %d in production "+
				"(generate one, e.g. openssl rand -hex 16), or set GOVSTACK_MESSAGING_DEV_MODE=true on a development machine to accept any length",
				name, len(key), minLen)
		}
		if seen[name] {
			return Keys{}, fmt.Errorf("GOVSTACK_MESSAGING_API_KEYS: name %q appears twice", name)
		}
		seen[name] = true
		k.names = append(k.names, name)
		k.hashes = append(k.hashes, sha256.Sum256([]byte(key)))
	}
	return k, nil
}

// Empty says whether no key is configured (then every call is refused).
func (k Keys) Empty() bool { return len(k.names) == 0 }

// Authenticate returns the name of the key presented, or false.
func (k Keys) Authenticate(key string) (string, bool) {
	h := sha256.Sum256([]byte(key))
	found := -1
	for i := range k.hashes {
		if subtle.ConstantTimeCompare(h[:], k.hashes[i][:]) == 1 {
			found = i
		}
	}
	if found < 0 {
		return "", false
	}
	return k.names[found], true
}
