package site

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
	"github.com/govstackbb/marketplace/web/internal/session"
)

// appointmentsPerPage is how many appointments one page of the list shows.
const appointmentsPerPage = 10

// appointmentView is an appointment as the citizen reads it: names instead of ids, times in the hospital's
// zone.
type appointmentView struct {
	gatewayapi.Appointment
	Hospital   gatewayapi.Hospital
	Doctor     gatewayapi.Doctor
	Department string
	Date, Time string
	Zone       string
	StatusText string
	StatusTag  string // a GOV.UK tag colour class
	Changeable bool   // booked and still to come: it may be cancelled or moved
	Link       string
}

// appointmentsPage lists the citizen's appointments, those to come first, ten to a page.
func (s *Site) appointmentsPage(c *Ctx) {
	all, err := s.api.Appointments(c.R.Context(), c.Data.AccessToken, "")
	if err != nil {
		c.apiFail(err)
		return
	}
	now := s.now()
	sort.SliceStable(all, func(i, j int) bool {
		ui, uj := upcoming(all[i], now), upcoming(all[j], now)
		if ui != uj {
			return ui
		}
		if ui {
			return all[i].Start.Before(all[j].Start)
		}
		return all[i].Start.After(all[j].Start)
	})
	// The department filter (?department=) offers the departments of the citizen's own appointments.
	dept := c.R.URL.Query().Get("department")
	departments, all := s.departments(c, all, dept)
	page, pages := pageOf(c.R.URL.Query().Get("page"), len(all), appointmentsPerPage)
	shown := all[min((page-1)*appointmentsPerPage, len(all)):min(page*appointmentsPerPage, len(all))]
	views := s.describe(c, shown)
	base := "/appointments"
	if dept != "" {
		base += "?" + url.Values{"department": {dept}}.Encode()
	}
	c.Render("appointments", "appointments.title", nil, map[string]any{"Appointments": views, "Departments": departments,
		"Filtered": dept != "", "Pagination": pagination(c, base, page, pages)})
}

func upcoming(a gatewayapi.Appointment, now time.Time) bool {
	return a.Status == "booked" && a.End.After(now)
}

// describe turns appointments into what the pages show: the list carries the names of the doctor and the
// hospital and the hospital's time zone, so nothing is looked up.
func (s *Site) describe(c *Ctx, as []gatewayapi.Appointment) []appointmentView {
	now := s.now()
	out := make([]appointmentView, 0, len(as))
	for _, a := range as {
		h := gatewayapi.Hospital{ID: a.HospitalID, Name: a.HospitalName, TimeZone: a.TimeZone}
		d := gatewayapi.Doctor{ID: a.DoctorID, Name: a.DoctorName, Specialty: a.Specialty}
		loc := location(h.TimeZone)
		v := appointmentView{Appointment: a, Hospital: h, Doctor: d, Department: c.specialtyName(d.Specialty),
			Date: c.longDate(a.Start.In(loc)), Time: clock(a.Start.In(loc)), Zone: zoneName(loc),
			StatusText: c.Loc.T("status." + a.Status), StatusTag: statusTags[a.Status],
			Changeable: a.Status == "booked" && a.Start.After(now), Link: "/appointments/" + url.PathEscape(a.ID)}
		out = append(out, v)
	}
	return out
}

var statusTags = map[string]string{"booked": "govuk-tag--blue", "checkedIn": "govuk-tag--green", "cancelled": "govuk-tag--grey"}

// appointment reads one of the citizen's appointments; false when it has answered (404 for another's).
func (s *Site) appointment(c *Ctx) (appointmentView, bool) {
	as, err := s.api.Appointments(c.R.Context(), c.Data.AccessToken, c.R.PathValue("id"))
	if err == nil && len(as) != 1 {
		err = &gatewayapi.Error{Status: http.StatusNotFound}
	}
	if err != nil {
		c.apiFail(err)
		return appointmentView{}, false
	}
	v := s.describe(c, as)[0]
	// The one thing the list lacks is the hospital's phone; without it the page still serves.
	if hs, err := s.api.Hospitals(c.R.Context(), "", v.Hospital.ID); err == nil && len(hs) == 1 {
		v.Hospital = hs[0]
	}
	return v, true
}

// appointmentPage shows one appointment; right after booking, the confirmation with the booking code.
func (s *Site) appointmentPage(c *Ctx) {
	v, ok := s.appointment(c)
	if !ok {
		return
	}
	booked := c.Data.Prefill["booked"] == v.ID
	if booked {
		c.Sess.Update(func(d *session.Data) { delete(d.Prefill, "booked") })
	}
	docs, err := s.documentsOf(c, v)
	if err != nil { // the appointment still shows; the documents are said to be unavailable
		s.log.Warn("listing an appointment's documents", "error", err)
	}
	c.Render("appointment", "appointment.title", nil, map[string]any{"A": v, "Booked": booked, "Documents": docs,
		"DocumentsFailed": err != nil})
}

func (s *Site) cancelPage(c *Ctx) {
	v, ok := s.changeable(c)
	if !ok {
		return
	}
	c.Render("cancel", "cancel.title", nil, map[string]any{"A": v, "Key": newIdempotencyKey()})
}

// changeable reads an appointment that may still be cancelled or moved; one that may not goes back to its
// page.
func (s *Site) changeable(c *Ctx) (appointmentView, bool) {
	v, ok := s.appointment(c)
	if ok && !v.Changeable {
		c.Redirect(v.Link)
		return v, false
	}
	return v, ok
}

func (s *Site) cancel(c *Ctx) {
	v, ok := s.changeable(c)
	if !ok {
		return
	}
	if _, err := s.api.Cancel(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), v.ID); err != nil {
		f := NewForm()
		fieldMap{prefix: "cancel"}.apply(c, f, err)
		c.RenderStatus(http.StatusUnprocessableEntity, "cancel", "cancel.title", f, map[string]any{"A": v, "Key": c.R.PostForm.Get("key")})
		return
	}
	c.Flash("flash.cancelled")
	c.Redirect(v.Link)
}

func (s *Site) reschedulePage(c *Ctx) { s.renderReschedule(c, NewForm()) }

func (s *Site) renderReschedule(c *Ctx, f *Form) {
	v, ok := s.changeable(c)
	if !ok {
		return
	}
	link := func(week string) string { return v.Link + "/reschedule?" + url.Values{"week": {week}}.Encode() }
	w, err := s.weekOf(c, v.Hospital, v.Doctor, link)
	if err != nil {
		c.apiFail(err)
		return
	}
	w.Action, w.Method, w.Button, w.Back, w.Key = v.Link+"/reschedule", "post", "reschedule.button", v.Link, newIdempotencyKey()
	c.RenderStatus(statusOf(f), "slots", "reschedule.title", f, w)
}

// reschedule moves the appointment to the chosen free time of the same doctor.
func (s *Site) reschedule(c *Ctx) {
	f := FormFrom(c.R.PostForm, "start")
	start, err := time.Parse(time.RFC3339, f.Value("start"))
	if err != nil {
		f.Fail("start", c.Loc.T("slots.start.required"))
		s.renderReschedule(c, f)
		return
	}
	v, ok := s.changeable(c)
	if !ok {
		return
	}
	if _, err := s.api.Reschedule(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), v.ID, start); err != nil {
		switch gatewayapi.ReasonOf(err) {
		case "SLOT_ALREADY_BOOKED", "NOT_A_FREE_SLOT", "SLOT_IN_PAST":
			f.Fail("start", c.Loc.T("slots.start.taken"))
		default:
			fieldMap{prefix: "reschedule"}.apply(c, f, err)
		}
		s.renderReschedule(c, f)
		return
	}
	c.Flash("flash.rescheduled")
	c.Redirect(v.Link)
}

// pageOf reads ?page= (1-based) against n items; it returns the page and the number of pages.
func pageOf(raw string, n, per int) (int, int) {
	pages := max(1, (n+per-1)/per)
	p, err := strconv.Atoi(raw)
	if err != nil || p < 1 {
		p = 1
	}
	return min(p, pages), pages
}

// pageLink is one link of GOV.UK pagination.
type pageLink struct {
	Number  int
	Href    string
	Current bool
}

// pagination is the list's page links ("" previous/next when there is none).
func pagination(c *Ctx, base string, page, pages int) map[string]any {
	if pages <= 1 {
		return nil
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&" // base carries a filter (the department)
	}
	href := func(p int) string { return base + sep + "page=" + strconv.Itoa(p) }
	var links []pageLink
	for p := 1; p <= pages; p++ {
		links = append(links, pageLink{Number: p, Href: href(p), Current: p == page})
	}
	out := map[string]any{"Pages": links, "Label": c.Loc.T("pagination.label"), "PrevText": c.Loc.T("pagination.prev"),
		"NextText": c.Loc.T("pagination.next"), "PageText": c.Loc.T("pagination.page")}
	if page > 1 {
		out["Prev"] = href(page - 1)
	}
	if page < pages {
		out["Next"] = href(page + 1)
	}
	return out
}
