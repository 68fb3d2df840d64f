package app

import "testing"

func TestKeys(t *testing.T) {
	k, err := ParseKeys(" tax = tax-key-0123456789abcdef , health=health-key-0123456789ab")
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
		if _, err := ParseKeys(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if k, _ := ParseKeys(""); !k.Empty() {
		t.Error("empty")
	}
}
