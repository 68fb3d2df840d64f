package domain

import (
	"testing"
	"time"
)

func TestLockFor(t *testing.T) {
	tests := []struct {
		n    int
		want time.Duration
	}{
		{0, 0}, {4, 0}, {5, time.Minute}, {6, 2 * time.Minute}, {8, 8 * time.Minute}, {11, time.Hour}, {100, time.Hour},
	}
	for _, tt := range tests {
		if got := LockFor(tt.n); got != tt.want {
			t.Errorf("LockFor(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

// The fifth failure locks the address for a minute and, for a known account, raises AccountLocked once;
// the sixth doubles the lock quietly; the lock runs out by itself.
func TestSignInFailuresFail(t *testing.T) {
	owner := &Account{ID: "a1", Email: "a@x.example"}
	tests := []struct {
		name      string
		before    int
		owner     *Account
		locked    time.Duration // LockedFor right after the failure
		wantEvent bool
	}{
		{"first failure", 0, owner, 0, false},
		{"fourth failure", 3, owner, 0, false},
		{"fifth failure locks and tells the holder", 4, owner, time.Minute, true},
		{"fifth failure of an unknown address locks silently", 4, nil, time.Minute, false},
		{"sixth failure doubles the lock, silently", 5, owner, 2 * time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := SignInFailures{Count: tt.before}
			events := f.Fail(t0, tt.owner)
			if f.Count != tt.before+1 || !f.Updated.Equal(t0) {
				t.Errorf("after Fail: %+v", f)
			}
			if got := f.LockedFor(t0); got != tt.locked {
				t.Errorf("LockedFor = %v, want %v", got, tt.locked)
			}
			if got := len(events) == 1; got != tt.wantEvent {
				t.Fatalf("events %v, want AccountLocked: %v", events, tt.wantEvent)
			}
			if tt.wantEvent {
				if ev, ok := events[0].(AccountLocked); !ok || ev.Account.ID != "a1" || !ev.At.Equal(t0) {
					t.Errorf("event %#v", events[0])
				}
			}
			if tt.locked > 0 && f.LockedFor(t0.Add(tt.locked)) != 0 {
				t.Error("the lock did not run out")
			}
		})
	}
}

func TestRefreshTokenRotate(t *testing.T) {
	tests := []struct {
		name   string
		token  RefreshToken
		reused bool
		ok     bool
	}{
		{"fresh", RefreshToken{ExpiresAt: t0.Add(time.Hour)}, false, true},
		{"rotated before: copied", RefreshToken{ExpiresAt: t0.Add(time.Hour), Used: true}, true, false},
		{"rotated and revoked", RefreshToken{ExpiresAt: t0.Add(time.Hour), Used: true, Revoked: true}, false, false},
		{"revoked", RefreshToken{ExpiresAt: t0.Add(time.Hour), Revoked: true}, false, false},
		{"expired", RefreshToken{ExpiresAt: t0}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.token
			reused, err := tok.Rotate(t0)
			if reused != tt.reused || (err == nil) != tt.ok {
				t.Fatalf("Rotate = %v, %v; want reused %v, ok %v", reused, err, tt.reused, tt.ok)
			}
			if tok.Used != (tt.ok || tt.token.Used) {
				t.Errorf("Used = %v", tok.Used)
			}
		})
	}
}
