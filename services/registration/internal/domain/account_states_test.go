package domain

import (
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func activateLink() Link {
	return Link{Purpose: PurposeActivate, URL: "https://p/activate?token=x", ExpiresAt: t0.Add(time.Hour)}
}
func resetLink() Link {
	return Link{Purpose: PurposeReset, URL: "https://p/reset-password?token=y", ExpiresAt: t0.Add(time.Hour)}
}

func pending() Account {
	return Account{ID: "a1", Email: "a@x.example", Status: StatusPendingActivation}
}
func active() Account {
	at := t0.Add(-time.Hour)
	return Account{ID: "a1", Email: "a@x.example", Status: StatusActive, PasswordHash: "old", Activated: &at}
}

func TestAccountRegister(t *testing.T) {
	tests := []struct {
		name    string
		account Account
		link    Link
		ok      bool
	}{
		{"new account with an activation link", Account{Email: "a@x.example"}, activateLink(), true},
		{"new account with a reset link", Account{Email: "a@x.example"}, resetLink(), false},
		{"pending account", pending(), activateLink(), false},
		{"active account", active(), activateLink(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.account
			ev, err := a.Register("id-1", t0, tt.link)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if !tt.ok {
				wantState(t, err)
				if a.Status != tt.account.Status {
					t.Errorf("a refused registration changed the status to %q", a.Status)
				}
				return
			}
			if a.ID != "id-1" || a.Status != StatusPendingActivation || !a.Created.Equal(t0) {
				t.Errorf("registered account %+v", a)
			}
			if ev.Account.ID != "id-1" || ev.Link != tt.link || !ev.At.Equal(t0) {
				t.Errorf("event %+v", ev)
			}
		})
	}
}

func TestAccountRegisterAgain(t *testing.T) {
	tests := []struct {
		name    string
		account Account
		link    Link
		purpose string
		ok      bool
	}{
		{"pending gets a fresh activation link", pending(), activateLink(), PurposeActivate, true},
		{"active gets a reset link", active(), resetLink(), PurposeReset, true},
		{"pending with a reset link", pending(), resetLink(), PurposeActivate, false},
		{"active with an activation link", active(), activateLink(), PurposeReset, false},
		{"not registered", Account{}, activateLink(), PurposeActivate, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.account.RepeatLinkPurpose(); got != tt.purpose {
				t.Errorf("RepeatLinkPurpose = %q, want %q", got, tt.purpose)
			}
			ev, err := tt.account.RegisterAgain(t0, tt.link)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if tt.ok && (ev.Account.ID != tt.account.ID || ev.Link != tt.link) {
				t.Errorf("event %+v", ev)
			}
		})
	}
}

func TestAccountSetPasswordFromLink(t *testing.T) {
	tests := []struct {
		name          string
		account       Account
		activated     bool // raises AccountActivated
		activatedAt   time.Time
		ok            bool
		wantStatusErr bool
	}{
		{"pending is activated", pending(), true, t0, true, false},
		{"active gets the new password, keeps its activation time", active(), false, t0.Add(-time.Hour), true, false},
		{"not registered", Account{ID: "a1"}, false, time.Time{}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.account
			events, err := a.SetPasswordFromLink("new", t0)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if !tt.ok {
				wantState(t, err)
				return
			}
			if a.Status != StatusActive || a.PasswordHash != "new" || a.Activated == nil || !a.Activated.Equal(tt.activatedAt) {
				t.Errorf("account %+v (activated %v)", a, a.Activated)
			}
			if got := len(events) == 1; got != tt.activated {
				t.Fatalf("events %v, want AccountActivated: %v", events, tt.activated)
			}
			if tt.activated {
				if ev, ok := events[0].(AccountActivated); !ok || ev.Account.Status != StatusActive || !ev.At.Equal(t0) {
					t.Errorf("event %#v", events[0])
				}
			}
		})
	}
}

func TestAccountActivateAndReset(t *testing.T) {
	a := active()
	if _, err := a.Activate("x", t0); err == nil {
		t.Error("an active account was activated again")
	}
	p := pending()
	if err := p.ResetPassword("x"); err == nil || p.PasswordHash != "" {
		t.Errorf("a pending account's password was reset: %v, %q", err, p.PasswordHash)
	}
}

func TestAccountRequestPasswordReset(t *testing.T) {
	tests := []struct {
		name    string
		account Account
		link    Link
		ok      bool
	}{
		{"active", active(), resetLink(), true},
		{"active with an activation link", active(), activateLink(), false},
		{"pending has no password to reset", pending(), resetLink(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.account.MayResetPassword(); got != (tt.account.Status == StatusActive) {
				t.Errorf("MayResetPassword = %v", got)
			}
			ev, err := tt.account.RequestPasswordReset(t0, tt.link)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if tt.ok && (ev.Link.Purpose != PurposeReset || ev.Account.ID != "a1") {
				t.Errorf("event %+v", ev)
			}
		})
	}
}

func wantState(t *testing.T, err error) {
	t.Helper()
	if e, ok := apierr.As(err); !ok || e.Kind != apierr.KindFailedPrecondition || e.Reason != ReasonAccountState {
		t.Errorf("want a FailedPrecondition %s, got %v", ReasonAccountState, err)
	}
}
