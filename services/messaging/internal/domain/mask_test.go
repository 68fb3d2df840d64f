package domain

import (
	"errors"
	"testing"
)

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

func TestLogReasonHoldsNoPersonalData(t *testing.T) {
	m := Message{Recipient: "+3725551234", RecipientName: "Mari Maasikas", Subject: "Your results",
		BodyText: "Mari, your test came back negative."}
	echoed := Temporary(errors.New(`SMTP 554: rejected "Your results" for Mari Maasikas <mari@example.org>: ` +
		`Mari, your test came back negative.`))
	if got := LogReason(echoed, m); got != `temporary: SMTP 554: rejected "<content>" for <content> <address>: <content>` {
		t.Errorf("LogReason = %q", got)
	}
	provider := &SendError{Permanent: true, Err: errors.New(`SMS provider: 400: {"to":"+3725551234","text":"negative"}`),
		Loggable: "SMS provider answered 400 Bad Request"}
	if got := LogReason(provider, m); got != "permanent: SMS provider answered 400 Bad Request" {
		t.Errorf("LogReason = %q", got)
	}
}
