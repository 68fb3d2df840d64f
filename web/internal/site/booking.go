package site

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
	"github.com/govstackbb/marketplace/web/internal/session"
)

// booking is the data of the booking page: what is being booked, in the hospital's time.
type booking struct {
	Hospital gatewayapi.Hospital
	Doctor   gatewayapi.Doctor
	Start    string // RFC 3339, UTC: the slot
	Date     string
	Time     string
	Zone     string
	Key      string
	Back     string
}

// bookPage asks the citizen to confirm the chosen time (and, if they like, say why they come).
func (s *Site) bookPage(c *Ctx) {
	q := c.R.URL.Query()
	b, ok := s.bookingOf(c, q.Get("hospital"), q.Get("doctor"), q.Get("start"))
	if !ok {
		return
	}
	b.Key = newIdempotencyKey()
	c.Render("book", "book.title", nil, b)
}

// bookingOf checks a chosen slot: the hospital, the doctor there, and a start time. Without a start the
// person goes back to the times with an error; false when it has answered.
func (s *Site) bookingOf(c *Ctx, hospitalID, doctorID, start string) (booking, bool) {
	h, ok := s.hospital(c, hospitalID)
	if !ok {
		return booking{}, false
	}
	d, ok := s.doctorAt(c, h, doctorID)
	if !ok {
		return booking{}, false
	}
	slots := "/doctors/slots?" + url.Values{"hospital": {h.ID}, "doctor": {d.ID}}.Encode()
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		c.Redirect(slots + "&error=start")
		return booking{}, false
	}
	loc := location(h.TimeZone)
	return booking{Hospital: h, Doctor: d, Start: t.UTC().Format(time.RFC3339), Date: c.longDate(t.In(loc)),
		Time: clock(t.In(loc)), Zone: zoneName(loc), Back: slots}, true
}

// book books the slot. A time someone took meanwhile sends the person back to choose another.
func (s *Site) book(c *Ctx) {
	p := c.R.PostForm
	b, ok := s.bookingOf(c, p.Get("hospital"), p.Get("doctor"), p.Get("start"))
	if !ok {
		return
	}
	f := FormFrom(p, "reason")
	start, _ := time.Parse(time.RFC3339, b.Start)
	a, err := s.api.Book(c.R.Context(), c.Data.AccessToken, idempotencyKey(p.Get("key")), b.Doctor.ID, start, f.Value("reason"))
	switch reason := gatewayapi.ReasonOf(err); {
	case err == nil:
	case reason == "SLOT_ALREADY_BOOKED" || reason == "NOT_A_FREE_SLOT" || reason == "SLOT_IN_PAST":
		c.Redirect(b.Back + "&error=taken")
		return
	default:
		fieldMap{prefix: "book", fields: map[string]string{"reason": "reason"}}.apply(c, f, err)
		b.Key = idempotencyKey(p.Get("key"))
		c.RenderStatus(http.StatusUnprocessableEntity, "book", "book.title", f, b)
		return
	}
	c.Sess.Update(func(d *session.Data) {
		d.Prefill = map[string]string{"booked": a.ID}
	})
	c.Redirect("/appointments/" + url.PathEscape(a.ID))
}

// newIdempotencyKey is the Idempotency-Key a form carries: sending the form twice (a double click, a
// reload) books, cancels or moves once, and the second answer is the first's.
func newIdempotencyKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// idempotencyKey is the form's key when it looks like one of ours, else a fresh one.
func idempotencyKey(posted string) string {
	if keyPattern.MatchString(posted) {
		return posted
	}
	return newIdempotencyKey()
}
