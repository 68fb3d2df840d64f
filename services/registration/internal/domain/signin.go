package domain

import "time"

// Lockout policy: after LockAfter consecutive failures an e-mail address is locked for
// lockBase·2^(failures−LockAfter), at most lockMax. It counts by address, not by account, so that an
// unknown address behaves exactly like a known one.
const (
	LockAfter = 5
	lockBase  = time.Minute
	lockMax   = time.Hour
)

// LockFor is the lockout after n consecutive failures (0: not locked).
func LockFor(n int) time.Duration {
	if n < LockAfter {
		return 0
	}
	shift := n - LockAfter
	if shift > 10 {
		return lockMax
	}
	return min(lockBase<<shift, lockMax)
}

// SignInFailures are the consecutive failed sign-ins of one e-mail address and the lockout they caused.
// A successful sign-in or a password reset forgets them (the store deletes them): that is the unlock.
type SignInFailures struct {
	Count       int
	LockedUntil time.Time // zero: never locked
	Updated     time.Time
}

// LockedFor is how long the address stays locked at now (0: it may sign in).
func (f SignInFailures) LockedFor(now time.Time) time.Duration {
	if f.LockedUntil.After(now) {
		return f.LockedUntil.Sub(now)
	}
	return 0
}

// Fail counts one more failure at now and locks the address as the policy says. The failure that first
// locks the address of a known account (owner non-nil) raises AccountLocked, once: later failures extend
// the lock quietly.
func (f *SignInFailures) Fail(now time.Time, owner *Account) []Event {
	f.Count++
	f.Updated = now
	if d := LockFor(f.Count); d > 0 {
		f.LockedUntil = now.Add(d)
	}
	if f.Count != LockAfter || owner == nil {
		return nil
	}
	return []Event{AccountLocked{Account: *owner, At: now}}
}
