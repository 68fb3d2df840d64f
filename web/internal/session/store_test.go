package session

import (
	"strings"
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newTestStore(max int) (*Store, *fakeClock) {
	c := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	st := NewStore(max, 30*time.Minute, 12*time.Hour)
	st.now = c.Now
	return st, c
}

// A session ends after its idle time without a request, and after its maximum life even when used.
func TestSessionExpiry(t *testing.T) {
	st, c := newTestStore(10)
	s := st.New()
	c.Advance(29 * time.Minute)
	if _, ok := st.Get(s.ID()); !ok {
		t.Fatal("a session used 29 minutes ago ended")
	}
	c.Advance(31 * time.Minute)
	if _, ok := st.Get(s.ID()); ok {
		t.Fatal("a session idle for 31 minutes is still there")
	}
	busy := st.New()
	for range 12*3 + 1 { // used every 20 minutes for over 12 hours
		c.Advance(20 * time.Minute)
		if _, ok := st.Get(busy.ID()); !ok {
			break
		}
	}
	if _, ok := st.Get(busy.ID()); ok {
		t.Fatal("a session outlived its maximum life")
	}
}

// The store holds at most max sessions: the least recently used one ends first.
func TestSessionStoreIsBounded(t *testing.T) {
	st, _ := newTestStore(3)
	a, b, c := st.New(), st.New(), st.New()
	st.Get(a.ID()) // a is now the most recently used
	d := st.New()
	if _, ok := st.Get(b.ID()); ok {
		t.Error("the least recently used session survived")
	}
	for _, s := range []*Session{a, c, d} {
		if _, ok := st.Get(s.ID()); !ok {
			t.Errorf("session %s ended", s.ID()[:6])
		}
	}
	if st.Len() != 3 {
		t.Errorf("%d sessions held, want 3", st.Len())
	}
}

// Sweep drops the expired sessions and keeps the live ones.
func TestSweep(t *testing.T) {
	st, c := newTestStore(10)
	old := st.New()
	c.Advance(20 * time.Minute)
	live := st.New()
	c.Advance(15 * time.Minute)
	st.Sweep()
	if st.Len() != 1 {
		t.Fatalf("%d sessions after the sweep, want 1", st.Len())
	}
	if _, ok := st.Get(live.ID()); !ok {
		t.Error("the sweep ended a live session")
	}
	if _, ok := st.Get(old.ID()); ok {
		t.Error("the sweep kept an idle session")
	}
}

// Renew gives the data a new id and CSRF token and ends the old session.
func TestRenew(t *testing.T) {
	st, _ := newTestStore(10)
	s := st.New()
	s.Update(func(d *Data) { d.Lang = "et" })
	n := st.Renew(s, func(d *Data) { d.Account.ID = "acc-1" })
	if n.ID() == s.ID() || n.CSRF() == s.CSRF() {
		t.Fatal("the renewed session kept the id or the CSRF token")
	}
	if d := n.Read(); d.Lang != "et" || d.Account.ID != "acc-1" {
		t.Errorf("renewed data %+v", d)
	}
	if _, ok := st.Get(s.ID()); ok {
		t.Error("the old session still exists")
	}
}

// Read returns a copy: changing it changes nothing in the session.
func TestReadIsACopy(t *testing.T) {
	st, _ := newTestStore(10)
	s := st.New()
	s.Update(func(d *Data) { d.Account.Roles = []string{"citizen"}; d.Prefill = map[string]string{"a": "1"} })
	d := s.Read()
	d.Account.Roles[0], d.Prefill["a"] = "admin", "2"
	if got := s.Read(); got.Account.Roles[0] != "citizen" || got.Prefill["a"] != "1" {
		t.Errorf("the session changed through a copy: %+v", got)
	}
}

// Many requests creating and reading sessions at once keep the store consistent (run with -race).
func TestStoreConcurrentUse(t *testing.T) {
	st, _ := newTestStore(50)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				s := st.New()
				s.Update(func(d *Data) { d.Flash = "x" })
				st.Get(s.ID())
				st.Sweep()
			}
		})
	}
	wg.Wait()
	if st.Len() > 50 {
		t.Fatalf("%d sessions held, more than the bound", st.Len())
	}
}

// The cookie carries the id and its HMAC: a changed id, a changed MAC or another secret's cookie is refused.
func TestCookieVerify(t *testing.T) {
	c := NewCookies(strings.Repeat("k", 32), false)
	st, _ := newTestStore(1)
	s := st.New()
	value := s.ID() + "." + c.mac(s.ID())
	if id, ok := c.Verify(value); !ok || id != s.ID() {
		t.Fatalf("a good cookie is refused")
	}
	other := NewCookies(strings.Repeat("o", 32), false)
	for _, bad := range []string{"", s.ID(), s.ID() + ".", "x" + value, value + "x", "." + c.mac(s.ID()),
		s.ID() + "." + other.mac(s.ID())} {
		if _, ok := c.Verify(bad); ok {
			t.Errorf("Verify(%q) accepted", bad)
		}
	}
	if NewCookies("k", true).Name() != "__Host-portal_session" || c.Name() != "portal_session" {
		t.Error("cookie names")
	}
}

func FuzzCookieVerify(f *testing.F) {
	c := NewCookies(strings.Repeat("k", 32), false)
	f.Add("abc.def")
	f.Add("abc." + c.mac("abc"))
	f.Add(strings.Repeat(".", 300))
	f.Fuzz(func(t *testing.T, value string) {
		id, ok := c.Verify(value)
		if ok && value != id+"."+c.mac(id) {
			t.Fatalf("Verify(%q) accepted a value that is not id.mac(id)", value)
		}
	})
}

func TestCSRFValid(t *testing.T) {
	st, _ := newTestStore(2)
	s := st.New()
	if !CSRFValid(s, s.CSRF()) || CSRFValid(s, "") || CSRFValid(s, s.CSRF()+"x") || CSRFValid(nil, s.CSRF()) ||
		CSRFValid(st.New(), s.CSRF()) {
		t.Error("CSRFValid")
	}
}
