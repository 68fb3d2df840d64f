package domain

import "testing"

func TestMaskAddresses(t *testing.T) {
	for in, want := range map[string]string{
		"550 5.1.1 <mari@example.org>: Recipient address rejected": "550 5.1.1 <address>: Recipient address rejected",
		"provider: number +372 5555 1234 is not reachable":         "provider: number number is not reachable",
		"dial tcp 127.0.0.1:25: connect: connection refused":       "dial tcp 127.0.0.1:25: connect: connection refused",
		"421 4.7.0 try again later":                                "421 4.7.0 try again later",
	} {
		if got := MaskAddresses(in); got != want {
			t.Errorf("MaskAddresses(%q) = %q, want %q", in, got, want)
		}
	}
}
