package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/govstackbb/marketplace/platform/apierr"
)

var (
	t0     = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	policy = RetryPolicy{MaxAttempts: 3, Base: time.Minute, Max: time.Hour}
)

func TestClaim(t *testing.T) {
	for _, c := range []struct {
		from     Status
		attempts int
		ok       bool
	}{
		{Scheduled, 0, true}, {Deferred, 1, true}, {Processing, 2, true}, // an expired lease is taken over
		{Delivered, 1, false}, {Bounced, 1, false}, {DeadLetter, 3, false}, {NotSent, 0, false},
	} {
		m := Message{ID: "m", Status: c.from, Attempts: c.attempts, LeaseToken: "old"}
		err := m.Claim("tok")
		if (err == nil) != c.ok {
			t.Errorf("claim from %s: %v", c.from, err)
			continue
		}
		if !c.ok {
			if m.Status != c.from || m.Attempts != c.attempts || m.LeaseToken != "old" {
				t.Errorf("a refused claim from %s changed the message: %+v", c.from, m)
			}
			continue
		}
		if m.Status != Processing || m.Attempts != c.attempts+1 || m.LeaseToken != "tok" {
			t.Errorf("claim from %s: %+v", c.from, m)
		}
	}
}

func TestAttempted(t *testing.T) {
	temp, perm := Temporary(errors.New("421 try later")), Permanent(errors.New("550 no such user"))
	for _, c := range []struct {
		name     string
		attempts int
		err      error
		want     Status
		event    string // "delivered", "failed" or "" (none)
	}{
		{"delivered", 1, nil, Delivered, "delivered"},
		{"delivered on the last attempt", 3, nil, Delivered, "delivered"},
		{"bounced at once", 1, perm, Bounced, "failed"},
		{"temporary, retries left", 1, temp, Deferred, ""},
		{"temporary, one retry left", 2, temp, Deferred, ""},
		{"temporary, retries used up", 3, temp, DeadLetter, "failed"},
		{"an unclassified error is temporary", 1, errors.New("eof"), Deferred, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := Message{ID: "m", Status: Processing, Attempts: c.attempts, LeaseToken: "tok", LastError: "before"}
			ev, err := m.Attempted(c.err, policy, t0)
			if err != nil {
				t.Fatal(err)
			}
			if m.Status != c.want || m.LeaseToken != "" || m.Attempts != c.attempts {
				t.Fatalf("got %+v", m)
			}
			if (c.err == nil) != (m.LastError == "") {
				t.Errorf("last error %q after %v", m.LastError, c.err)
			}
			switch e := ev.(type) {
			case MessageDelivered:
				if c.event != "delivered" || e.Message.Status != Delivered || !e.At.Equal(t0) {
					t.Errorf("event %+v", e)
				}
			case MessageFailed:
				if c.event != "failed" || e.Message.Status != c.want || e.Message.LastError == "" {
					t.Errorf("event %+v", e)
				}
			case nil:
				if c.event != "" {
					t.Errorf("no event, want %s", c.event)
				}
			}
			if c.want == Deferred {
				if d := m.NextAttempt.Sub(t0); d < policy.Base/2 || d > policy.Max {
					t.Errorf("next attempt in %v", d)
				}
			} else if !m.NextAttempt.IsZero() {
				t.Errorf("a final message has a next attempt %v", m.NextAttempt)
			}
		})
	}
}

func TestAttemptedNeedsAClaim(t *testing.T) {
	for _, s := range []Status{Scheduled, Deferred, Delivered, Bounced, DeadLetter, NotSent} {
		m := Message{ID: "m", Status: s}
		if ev, err := m.Attempted(nil, policy, t0); err == nil || ev != nil || m.Status != s {
			t.Errorf("attempt recorded on a %s message: %v %v", s, ev, err)
		}
	}
}

func TestRelease(t *testing.T) {
	for _, c := range []struct {
		from          Status
		attempts      int
		ok            bool
		want          Status
		attemptsAfter int
	}{
		{Processing, 1, true, Scheduled, 0},
		{Processing, 2, true, Deferred, 1}, // failed before: still waiting for its retry
		{Scheduled, 0, false, Scheduled, 0},
		{Delivered, 1, false, Delivered, 1},
	} {
		m := Message{ID: "m", Status: c.from, Attempts: c.attempts, LeaseToken: "tok"}
		err := m.Release()
		if (err == nil) != c.ok || m.Status != c.want || m.Attempts != c.attemptsAfter {
			t.Errorf("release from %s/%d: %+v %v", c.from, c.attempts, m, err)
		}
		if c.ok && m.LeaseToken != "" {
			t.Errorf("released message keeps its lease %q", m.LeaseToken)
		}
	}
}

func TestRequeue(t *testing.T) {
	for _, c := range []struct {
		from Status
		ok   bool
	}{
		{DeadLetter, true}, {Deferred, true}, {Bounced, true},
		{Scheduled, false}, {Processing, false}, {Delivered, false}, {NotSent, false},
	} {
		m := Message{ID: "m", Status: c.from, Attempts: 3, LastError: "550", NextAttempt: t0}
		err := m.Requeue()
		switch {
		case c.ok && (err != nil || m.Status != Scheduled || m.Attempts != 0 || m.LastError != "" || !m.NextAttempt.IsZero()):
			t.Errorf("requeue from %s: %+v %v", c.from, m, err)
		case !c.ok && (apierr.KindOf(err) != apierr.KindFailedPrecondition || m.Status != c.from):
			t.Errorf("requeue from %s: %v", c.from, err)
		}
	}
}

func TestReject(t *testing.T) {
	m := Message{Status: Scheduled}
	m.Reject("recipient has opted out")
	if m.Status != NotSent || m.LastError != "recipient has opted out" {
		t.Errorf("%+v", m)
	}
}

func TestTruncateErrorKeepsValidUTF8(t *testing.T) {
	long := strings.Repeat("a", MaxErrorBytes-1) + "é and more"
	got := TruncateError(long)
	if len(got) > MaxErrorBytes || !utf8.ValidString(got) || !strings.HasPrefix(long, got) {
		t.Errorf("len %d valid %v", len(got), utf8.ValidString(got))
	}
	if TruncateError("short") != "short" {
		t.Error("short errors are kept")
	}
}
