package site

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// Hospital staff: the day's appointments at their hospital (in its time zone), by department; checking a
// patient in with the booking code or the national id; attaching a prescription (documents.go). The
// hospital is the staff member's own (Registration's hospitalId, set at sign-in): Scheduling lets them
// attach documents only to its appointments.

// dayPerPage is how many appointments one page of the day shows.
const dayPerPage = 20

// staffDay is the data of the day page.
type staffDay struct {
	Hospital    gatewayapi.Hospital
	Date, Zone  string
	Day         string // YYYY-MM-DD, kept by the department filter
	Prev, Next  string // links to the day before and after
	Department  string
	Departments []Option
	Rows        []appointmentView
	Pagination  map[string]any
}

// todayPage lists the hospital's appointments of one local day (?date=YYYY-MM-DD, today when absent),
// optionally of one department, twenty to a page.
func (s *Site) todayPage(c *Ctx) {
	h, ok := s.staffHospital(c)
	if !ok {
		return
	}
	loc := location(h.TimeZone)
	day, err := time.ParseInLocation(time.DateOnly, c.R.URL.Query().Get("date"), loc)
	if err != nil {
		now := s.now().In(loc)
		day = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	}
	all, err := s.api.AllAppointments(c.R.Context(), c.Data.AccessToken, gatewayapi.AppointmentQuery{HospitalID: h.ID,
		From: day, To: day.AddDate(0, 0, 1), PageSize: 500})
	if err != nil {
		c.apiFail(err)
		return
	}
	q := c.R.URL.Query()
	f := NewForm().Set("code", strings.TrimSpace(q.Get("code")))
	if code := f.Value("code"); code != "" {
		if a, ok := withCode(all, code); ok {
			c.Redirect("/hospital/appointments/" + url.PathEscape(a.ID))
			return
		}
		f.Fail("code", c.Loc.T("hospital.today.code.not_found"))
	}
	dept := q.Get("department")
	d := staffDay{Hospital: h, Date: c.longDate(day), Day: day.Format(time.DateOnly), Zone: zoneName(loc), Department: dept,
		Prev: dayLink(day.AddDate(0, 0, -1), dept), Next: dayLink(day.AddDate(0, 0, 1), dept)}
	d.Departments, all = s.departments(c, all, dept)
	page, pages := pageOf(q.Get("page"), len(all), dayPerPage)
	d.Rows = s.staffViews(c, all[min((page-1)*dayPerPage, len(all)):min(page*dayPerPage, len(all))])
	base := "/hospital/today?" + url.Values{"date": {day.Format(time.DateOnly)}, "department": {dept}}.Encode()
	d.Pagination = pagination(c, base, page, pages)
	c.RenderStatus(statusOf(f), "hospital-today", "hospital.today.title", f, d)
}

// withCode finds the appointment of the day with a booking code (as people read it out: any case, spaces
// and dashes aside).
func withCode(all []gatewayapi.Appointment, code string) (gatewayapi.Appointment, bool) {
	norm := func(s string) string { return strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(s)) }
	for _, a := range all {
		if a.BookingCode != "" && norm(a.BookingCode) == norm(code) {
			return a, true
		}
	}
	return gatewayapi.Appointment{}, false
}

func dayLink(day time.Time, dept string) string {
	v := url.Values{"date": {day.Format(time.DateOnly)}}
	if dept != "" {
		v.Set("department", dept)
	}
	return "/hospital/today?" + v.Encode()
}

// departments are the filter's options (every department of the day, and "all") and the appointments of
// the chosen one.
func (s *Site) departments(c *Ctx, all []gatewayapi.Appointment, chosen string) ([]Option, []gatewayapi.Appointment) {
	seen := map[string]bool{}
	var kept []gatewayapi.Appointment
	for _, a := range all {
		seen[a.Specialty] = true
		if chosen == "" || a.Specialty == chosen {
			kept = append(kept, a)
		}
	}
	opts := []Option{{Value: "", Text: c.Loc.T("hospital.today.all_departments"), Checked: chosen == ""}}
	var ids []string
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		opts = append(opts, Option{Value: id, Text: c.specialtyName(id), Checked: id == chosen})
	}
	return opts, kept
}

// staffViews are the day's rows: as describe has them, linking to the staff's page of each.
func (s *Site) staffViews(c *Ctx, as []gatewayapi.Appointment) []appointmentView {
	vs := s.describe(c, as)
	for i := range vs {
		vs[i].Link = "/hospital/appointments/" + url.PathEscape(vs[i].ID)
	}
	return vs
}

// staffHospital is the signed-in staff member's hospital; a staff account of no hospital (an administrator)
// is told it has no day to show.
func (s *Site) staffHospital(c *Ctx) (gatewayapi.Hospital, bool) {
	if c.Data.Account.HospitalID == "" {
		c.fail(http.StatusForbidden, "hospital.no_hospital")
		return gatewayapi.Hospital{}, false
	}
	return s.hospital(c, c.Data.Account.HospitalID)
}

// staffAppointment reads one appointment of the staff member's hospital (404 for another hospital's).
func (s *Site) staffAppointment(c *Ctx) (appointmentView, bool) {
	as, err := s.api.Appointments(c.R.Context(), c.Data.AccessToken, c.R.PathValue("id"))
	if err == nil && (len(as) != 1 || as[0].HospitalID != c.Data.Account.HospitalID) {
		err = &gatewayapi.Error{Status: http.StatusNotFound}
	}
	if err != nil {
		c.apiFail(err)
		return appointmentView{}, false
	}
	return s.staffViews(c, as)[0], true
}

// staffAppointmentData is the data of a staff member's appointment page.
type staffAppointmentData struct {
	A         appointmentView
	Documents []documentView
	Kinds     []Option
	// The forms' idempotency keys: one each, since a key names one request.
	CheckInKey, UploadKey string
}

func (s *Site) staffAppointmentPage(c *Ctx) { s.renderStaffAppointment(c, http.StatusOK, NewForm()) }

// renderStaffAppointment shows an appointment to its hospital's staff: the patient, check-in, the
// documents and the upload form. The page's two forms share f: their fields have different names, so one
// error summary serves both.
func (s *Site) renderStaffAppointment(c *Ctx, status int, f *Form) {
	v, ok := s.staffAppointment(c)
	if !ok {
		return
	}
	docs, err := s.documentsOf(c, v)
	if err != nil {
		c.apiFail(err)
		return
	}
	if f.Value("kind") == "" {
		f.Set("kind", "prescription")
	}
	c.RenderStatus(status, "hospital-appointment", "hospital.appointment.title", f, staffAppointmentData{A: v,
		Documents: docs, Kinds: documentKinds(c), CheckInKey: newIdempotencyKey(), UploadKey: newIdempotencyKey()})
}

// checkIn checks the patient in with the booking code or the national id they give at the desk.
func (s *Site) checkIn(c *Ctx) {
	f := FormFrom(c.R.PostForm, "bookingCode", "nationalId")
	if f.Value("bookingCode") == "" && f.Value("nationalId") == "" {
		f.Fail("bookingCode", c.Loc.T("checkin.bookingCode.required"))
		s.renderStaffAppointment(c, http.StatusUnprocessableEntity, f)
		return
	}
	v, ok := s.staffAppointment(c)
	if !ok {
		return
	}
	_, err := s.api.CheckIn(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), v.Appointment,
		f.Value("bookingCode"), f.Value("nationalId"))
	if err != nil {
		m := checkInFields
		if f.Value("bookingCode") == "" { // the national id is what did not match
			m.reasons = map[string]reasonError{"IDENTITY_MISMATCH": {"nationalId", "checkin.nationalId.mismatch"}}
			for k, r := range checkInFields.reasons {
				if k != "IDENTITY_MISMATCH" {
					m.reasons[k] = reasonError{"nationalId", r.key}
				}
			}
		}
		m.apply(c, f, err)
		s.renderStaffAppointment(c, http.StatusUnprocessableEntity, f)
		return
	}
	c.Flash("flash.checked_in", v.PatientName)
	c.Redirect(v.Link)
}

// checkInFields puts Scheduling's refusals of a check-in next to the fields.
var checkInFields = fieldMap{prefix: "checkin", fields: map[string]string{"booking_code": "bookingCode", "national_id": "nationalId"},
	reasons: map[string]reasonError{
		"IDENTITY_MISMATCH":      {"bookingCode", "checkin.bookingCode.mismatch"},
		"CHECK_IN_CLOSED":        {"bookingCode", "checkin.bookingCode.closed"},
		"APPOINTMENT_NOT_ACTIVE": {"bookingCode", "checkin.bookingCode.not_active"},
	}}
