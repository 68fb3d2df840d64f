package session

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// Store holds the sessions in memory, at most max of them: when full, the least recently used one ends. A
// session ends after idle without a request, or max after it began.
type Store struct {
	mu      sync.Mutex
	byID    map[string]*list.Element // of *Session; the list is in order of use, most recent first
	order   *list.List
	max     int
	idle    time.Duration
	maxLife time.Duration
	now     func() time.Time
}

// NewStore returns an empty store.
func NewStore(max int, idle, maxLife time.Duration) *Store {
	return &Store{byID: map[string]*list.Element{}, order: list.New(), max: max, idle: idle, maxLife: maxLife, now: time.Now}
}

// New starts a session.
func (st *Store) New() *Session {
	now := st.now()
	s := &Session{id: randomToken(), csrf: randomToken(), created: now, seen: now}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.byID[s.id] = st.order.PushFront(s)
	for st.order.Len() > st.max {
		st.removeLocked(st.order.Back())
	}
	return s
}

// Get returns the live session with id, marking it used; false when there is none (unknown, ended).
func (st *Store) Get(id string) (*Session, bool) {
	now := st.now()
	st.mu.Lock()
	defer st.mu.Unlock()
	el, ok := st.byID[id]
	if !ok {
		return nil, false
	}
	s := el.Value.(*Session)
	if st.expired(s, now) {
		st.removeLocked(el)
		return nil, false
	}
	s.seen = now
	st.order.MoveToFront(el)
	return s, true
}

// Renew moves old's data to a new session with a new id and CSRF token and ends old: done at sign-in and
// sign-out, so an id someone planted or saw before does not become (or stay) a signed-in session.
func (st *Store) Renew(old *Session, change func(*Data)) *Session {
	data := old.Read()
	st.Delete(old.ID())
	s := st.New()
	s.Update(func(d *Data) {
		*d = data
		change(d)
	})
	return s
}

// Delete ends the session with id.
func (st *Store) Delete(id string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if el, ok := st.byID[id]; ok {
		st.removeLocked(el)
	}
}

// Len is the number of sessions held (ended ones not yet swept included).
func (st *Store) Len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.order.Len()
}

// Sweep ends every expired session. The list is in order of use, so the idle ones are at its back.
func (st *Store) Sweep() {
	now := st.now()
	st.mu.Lock()
	defer st.mu.Unlock()
	for el := st.order.Back(); el != nil; {
		prev := el.Prev()
		if st.expired(el.Value.(*Session), now) {
			st.removeLocked(el)
		}
		el = prev
	}
}

// Run sweeps every interval until ctx ends: a lifecycle task.
func (st *Store) Run(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			st.Sweep()
		}
	}
}

func (st *Store) expired(s *Session, now time.Time) bool {
	return now.Sub(s.seen) > st.idle || now.Sub(s.created) > st.maxLife
}

func (st *Store) removeLocked(el *list.Element) {
	delete(st.byID, el.Value.(*Session).id)
	st.order.Remove(el)
}
