package seal

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
)

func TestSealedBidOpensOnlyWithTheTendersKey(t *testing.T) {
	k, err := LoadFile(filepath.Join(t.TempDir(), "seal.key"), true)
	if err != nil {
		t.Fatal(err)
	}
	pub, wrapped, err := k.TenderKey("T1")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := Seal(pub, "B1", []byte(`{"price":"100.00"}`))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("100.00")) {
		t.Fatal("the sealed bid shows its price")
	}
	priv, err := k.Unwrap("T1", wrapped)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Open(priv, "B1", sealed)
	if err != nil || string(plain) != `{"price":"100.00"}` {
		t.Fatalf("open: %q %v", plain, err)
	}
	// Bound to the bid and the tender: moved to another bid or unwrapped for another tender, it does not open.
	if _, err := Open(priv, "B2", sealed); !errors.Is(err, ErrOpen) {
		t.Fatalf("opened as another bid: %v", err)
	}
	if _, err := k.Unwrap("T2", wrapped); !errors.Is(err, ErrOpen) {
		t.Fatalf("unwrapped for another tender: %v", err)
	}
	// Another service key cannot unwrap it.
	other, _ := New(bytes.Repeat([]byte{7}, 32))
	if _, err := other.Unwrap("T1", wrapped); !errors.Is(err, ErrOpen) {
		t.Fatalf("another service key unwrapped it: %v", err)
	}
	// The key file is read back as it was written.
	again, err := LoadFile(filepath.Join(filepath.Dir(filepath.Join(t.TempDir(), "x")), "missing"), false)
	if err == nil || again != nil {
		t.Fatal("a missing key file without create must be an error")
	}
}

func BenchmarkSeal(b *testing.B) {
	k, _ := New(bytes.Repeat([]byte{1}, 32))
	pub, _, _ := k.TenderKey("T1")
	plain := bytes.Repeat([]byte("x"), 2000)
	for b.Loop() {
		if _, err := Seal(pub, "B1", plain); err != nil {
			b.Fatal(err)
		}
	}
}
