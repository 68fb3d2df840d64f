package domain

import (
	"testing"
	"time"
)

func TestVoucherNumbersAreRandomAndStoredHashed(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		n, err := NewVoucherNumber()
		if err != nil || len(n) != 16 || seen[n] {
			t.Fatalf("number %q (%v): want 16 fresh digits", n, err)
		}
		seen[n] = true
	}
	key := []byte("k")
	if string(HashVoucherNumber(key, "1234")) == "1234" || len(HashVoucherNumber(key, "1")) != 32 {
		t.Fatal("the hash is not an HMAC")
	}
	if string(HashVoucherNumber([]byte("other"), "1234")) == string(HashVoucherNumber(key, "1234")) {
		t.Fatal("the hash does not depend on the key")
	}
}

func TestVoucherLife(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	key := []byte("key")
	v := Voucher{Serial: "0000000001", Status: VoucherPreActivated, NumberHash: HashVoucherNumber(key, "42"), ExpiresAt: now.Add(time.Hour)}
	if err := v.Redeem(key, "42", "agent", now); err == nil {
		t.Fatal("redeemed a voucher not yet activated")
	}
	if err := v.Activate(); err != nil {
		t.Fatal(err)
	}
	if err := v.Redeem(key, "43", "agent", now); err == nil || v.FailedAttempts != 1 {
		t.Fatalf("wrong number: %v, attempts %d", err, v.FailedAttempts)
	}
	if err := v.Redeem(key, "42", "agent", now.Add(time.Hour)); err == nil {
		t.Fatal("redeemed an expired voucher")
	}
	if err := v.Redeem(key, "42", "agent", now); err != nil || v.Status != VoucherRedeemed {
		t.Fatalf("redeem: %v, %s", err, v.Status)
	}
	if err := v.Redeem(key, "42", "agent", now); err == nil {
		t.Fatal("redeemed twice")
	}
	if err := v.Cancel(); err == nil {
		t.Fatal("cancelled a redeemed voucher")
	}
}

func TestWrongNumbersBlockTheVoucher(t *testing.T) {
	key := []byte("key")
	now := time.Now()
	v := Voucher{Status: VoucherActive, NumberHash: HashVoucherNumber(key, "42"), ExpiresAt: now.Add(time.Hour)}
	for range MaxWrongNumbers {
		_ = v.Redeem(key, "0", "agent", now)
	}
	if v.Status != VoucherSuspended {
		t.Fatalf("after %d wrong numbers: %s", MaxWrongNumbers, v.Status)
	}
	if err := v.Redeem(key, "42", "agent", now); err == nil {
		t.Fatal("a blocked voucher was redeemed with its right number")
	}
}
