package site

import (
	"net/url"
	"time"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// maxWeeksAhead is how far the slot picker pages forward.
const maxWeeksAhead = 8

// slotWeek is one week of a doctor's free times at a hospital, in the hospital's time zone: the data of the
// slot picker, with links to the weeks before and after (the list pages by week).
type slotWeek struct {
	Hospital gatewayapi.Hospital
	Doctor   gatewayapi.Doctor
	Zone     string
	From, To string // the week's first and last day, in words
	Days     []slotDay
	Prev     string // links to the previous and next week ("" when there is none)
	Next     string
	Action   string // where the chosen time goes
	Method   string
	Hidden   map[string]string
	Back     string
	Button   string
	Key      string // idempotency key of a POST form
}

type slotDay struct {
	ID, Label string
	Slots     []Option
}

// weekOf reads the free slots of doctor at hospital for the week starting on the query's week (a date,
// YYYY-MM-DD, in the hospital's zone; today when absent). link makes the URL of another week.
func (s *Site) weekOf(c *Ctx, h gatewayapi.Hospital, d gatewayapi.Doctor, link func(week string) string) (slotWeek, error) {
	loc := location(h.TimeZone)
	now := s.now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	start := today
	if w, err := time.ParseInLocation(time.DateOnly, c.R.URL.Query().Get("week"), loc); err == nil &&
		!w.Before(today) && w.Before(today.AddDate(0, 0, 7*maxWeeksAhead)) {
		start = w
	}
	end := start.AddDate(0, 0, 7)
	from := start
	if from.Before(now) {
		from = now
	}
	slots, err := s.api.FreeSlots(c.R.Context(), d.ID, from, end)
	if err != nil {
		return slotWeek{}, err
	}
	w := slotWeek{Hospital: h, Doctor: d, Zone: zoneName(loc), From: c.longDate(start), To: c.longDate(end.AddDate(0, 0, -1))}
	byDay := map[string]int{}
	for _, sl := range slots {
		if sl.HospitalID != h.ID {
			continue // the doctor's times at another hospital
		}
		local := sl.Start.In(loc)
		day := local.Format(time.DateOnly)
		i, ok := byDay[day]
		if !ok {
			i = len(w.Days)
			byDay[day] = i
			w.Days = append(w.Days, slotDay{ID: day, Label: c.longDate(local)})
		}
		w.Days[i].Slots = append(w.Days[i].Slots, Option{Value: sl.Start.UTC().Format(time.RFC3339), Text: clock(local),
			Hint: ""})
	}
	if start.After(today) {
		w.Prev = link(start.AddDate(0, 0, -7).Format(time.DateOnly))
	}
	if next := start.AddDate(0, 0, 7); next.Before(today.AddDate(0, 0, 7*maxWeeksAhead)) {
		w.Next = link(next.Format(time.DateOnly))
	}
	return w, nil
}

// doctorAt reads a doctor who works at hospital h; false when it has answered (404).
func (s *Site) doctorAt(c *Ctx, h gatewayapi.Hospital, id string) (gatewayapi.Doctor, bool) {
	if id == "" {
		s.notFound(c)
		return gatewayapi.Doctor{}, false
	}
	ds, err := s.api.Doctors(c.R.Context(), h.ID, "", id)
	if err != nil {
		c.apiFail(err)
		return gatewayapi.Doctor{}, false
	}
	if len(ds) != 1 {
		s.notFound(c)
		return gatewayapi.Doctor{}, false
	}
	return ds[0], true
}

// slotErrors are the messages the slot picker shows for ?error=… when a booking came back.
var slotErrors = map[string]string{"start": "slots.start.required", "taken": "slots.start.taken"}

// slotsPage lists a doctor's free times for a week; choosing one goes to the booking page.
func (s *Site) slotsPage(c *Ctx) {
	q := c.R.URL.Query()
	h, ok := s.hospital(c, q.Get("hospital"))
	if !ok {
		return
	}
	if q.Get("doctor") == "" {
		f := NewForm()
		f.Fail("doctor", c.Loc.T("doctors.doctor.required"))
		s.renderDoctors(c, f, h, q.Get("department"))
		return
	}
	d, ok := s.doctorAt(c, h, q.Get("doctor"))
	if !ok {
		return
	}
	link := func(week string) string {
		return "/doctors/slots?" + url.Values{"hospital": {h.ID}, "doctor": {d.ID}, "week": {week}}.Encode()
	}
	w, err := s.weekOf(c, h, d, link)
	if err != nil {
		c.apiFail(err)
		return
	}
	w.Action, w.Method, w.Button = "/book", "get", "slots.continue"
	w.Hidden = map[string]string{"hospital": h.ID, "doctor": d.ID}
	w.Back = "/doctors/doctor?" + url.Values{"hospital": {h.ID}, "department": {d.Specialty}, "doctor": {d.ID}}.Encode()
	f := NewForm()
	if key, ok := slotErrors[q.Get("error")]; ok {
		f.Fail("start", c.Loc.T(key))
	}
	c.RenderStatus(statusOf(f), "slots", "slots.title", f, w)
}
