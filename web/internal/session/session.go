// Package session keeps the portal's sessions server-side: the browser holds only a random id in an
// HTTP-only cookie; the person's tokens, the CSRF token and what a journey has gathered stay here.
//
// The store is in this process's memory, bounded in size and lifetime. One portal replica, or several behind
// a load balancer with sticky sessions, works as it is; more replicas without stickiness need a shared
// store (Redis, Postgres) behind the same Store methods, with the tokens encrypted at rest there.
package session

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"
)

// Session is one visitor's state. Its fields are guarded by its mutex: the same person's requests run
// concurrently (two tabs, a double click).
type Session struct {
	mu sync.Mutex
	id string
	// csrf is the per-session token every form carries back (a random value, not derived from the id, so a
	// leaked form does not reveal the id).
	csrf    string
	created time.Time
	seen    time.Time
	data    Data
}

// Data is what a session holds. Copy in, copy out (Session.Read, Session.Update): it is never shared.
type Data struct {
	// Signed-in person; zero when anonymous.
	Account Account
	// The Registration tokens: never sent to the browser, never logged.
	AccessToken   string
	RefreshToken  string
	AccessExpires time.Time
	// Flash is a message key shown once on the next page (e.g. "you are signed out").
	Flash string
	// FlashArgs are the flash message's arguments.
	FlashArgs []string
	// LinkToken is an activation or reset token from an e-mailed link, taken out of the URL at once.
	LinkToken string
	// SupplierDraftID is the supplier registration in progress (a secret: whoever has it may change it).
	SupplierDraftID string
	// Prefill carries what a person typed from one form to the next (the buyer form into the domain request).
	Prefill map[string]string
	// Lang is the language the person chose with the switch link ("" = from Accept-Language).
	Lang string
}

// Account is the signed-in person.
type Account struct {
	ID, Email, Name string
	Roles           []string
	// HospitalID is a hospital staff member's hospital (the Scheduling entity their day lists).
	HospitalID string
	// Organisation is a buyer's organisation: the tenders that are theirs to run.
	Organisation string
}

// SignedIn reports whether the session has a person.
func (d Data) SignedIn() bool { return d.Account.ID != "" && d.AccessToken != "" }

// HasRole reports whether the signed-in person has role.
func (d Data) HasRole(role string) bool {
	for _, r := range d.Account.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// ID is the session's id (the cookie's value carries it with its HMAC).
func (s *Session) ID() string { return s.id }

// CSRF is the token every form of this session posts back.
func (s *Session) CSRF() string { return s.csrf }

// Read returns a copy of the session's data.
func (s *Session) Read() Data {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data.clone()
}

// Update changes the data under the session's lock.
func (s *Session) Update(f func(*Data)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.data)
}

// Locked runs f holding the session's lock, for a read-modify-write that calls out (a token refresh: two
// requests of the same person must not both spend the one refresh token).
func (s *Session) Locked(f func(*Data)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.data)
}

// TakeFlash returns the flash message and clears it.
func (s *Session) TakeFlash() (string, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, a := s.data.Flash, s.data.FlashArgs
	s.data.Flash, s.data.FlashArgs = "", nil
	return f, a
}

func (d Data) clone() Data {
	c := d
	c.Account.Roles = append([]string(nil), d.Account.Roles...)
	c.FlashArgs = append([]string(nil), d.FlashArgs...)
	if d.Prefill != nil {
		c.Prefill = make(map[string]string, len(d.Prefill))
		for k, v := range d.Prefill {
			c.Prefill[k] = v
		}
	}
	return c
}

// randomToken is 32 random bytes, base64url: a session id or a CSRF token.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}
