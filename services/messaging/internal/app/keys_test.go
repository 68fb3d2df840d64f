package app

import (
	"strings"
	"testing"
)

func TestKeys(t *testing.T) {
	k, err := ParseKeys(" tax = tax-key-0123456789abcdef , health=health-key-0123456789ab", MinKeyLen)
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := k.Authenticate("health-key-0123456789ab"); !ok || n != "health" {
		t.Errorf("got %q %v", n, ok)
	}
	if _, ok := k.Authenticate("health-key-0123456789aX"); ok {
		t.Error("wrong key accepted")
	}
	for _, bad := range []string{"nokey", "a=short", "a=0123456789abcdef0,a=0123456789abcdef1", "=0123456789abcdef0"} {
		if _, err := ParseKeys(bad, MinKeyLen); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if k, _ := ParseKeys("", MinKeyLen); !k.Empty() {
		t.Error("empty")
	}
}

func TestShortKeysOnlyInDevelopmentMode(t *testing.T) {
	_, err := ParseKeys("tax=test", MinKeyLen)
	if err == nil || !strings.Contains(err.Error(), "at least 16") || !strings.Contains(err.Error(), "GOVSTACK_MESSAGING_DEV_MODE") {
		t.Fatalf("a short key in production: %v", err)
	}
	k, err := ParseKeys("tax=test", 1)
	if err != nil {
		t.Fatal(err)
	}
	if name, ok := k.Authenticate("test"); !ok || name != "tax" {
		t.Errorf("Authenticate(test) = %q, %v", name, ok)
	}
}
