package site

import (
	"net/http"
	"net/url"
	"sort"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// Finding a doctor is four GET forms, one question each (city → hospital → department → doctor), then the
// doctor's free times: every step is a URL, so the browser's back button and bookmarks work, and no
// JavaScript is needed.

// choice is the data of the "choose" template: one radio question and where its form goes.
type choice struct {
	// Legend and Empty are message keys; Hint is text (a hospital's name, say).
	Field, Legend, Hint, Action, Back, Button string
	Options                                   []Option
	Hidden                                    map[string]string
	Empty                                     string // said instead of the question when there is nothing to choose
}

func (s *Site) cityPage(c *Ctx) { s.renderCities(c, NewForm()) }

func (s *Site) renderCities(c *Ctx, f *Form) {
	hospitals, err := s.api.Hospitals(c.R.Context(), "", "")
	if err != nil {
		c.apiFail(err)
		return
	}
	seen := map[string]bool{}
	var opts []Option
	for _, h := range hospitals {
		if h.City != "" && !seen[h.City] {
			seen[h.City] = true
			opts = append(opts, Option{Value: h.City, Text: h.City})
		}
	}
	sort.Slice(opts, func(i, j int) bool { return opts[i].Text < opts[j].Text })
	c.RenderStatus(statusOf(f), "choose", "doctors.city.title", f, choice{Field: "city", Legend: "doctors.city.title",
		Hint: c.Loc.T("doctors.city.hint"), Action: "/doctors/hospital", Back: "/", Options: opts, Empty: "doctors.city.none"})
}

func (s *Site) hospitalPage(c *Ctx) {
	q := c.R.URL.Query()
	city := q.Get("city")
	if city == "" {
		f := NewForm()
		f.Fail("city", c.Loc.T("doctors.city.required"))
		s.renderCities(c, f)
		return
	}
	s.renderHospitals(c, NewForm().Set("hospital", q.Get("hospital")), city)
}

func (s *Site) renderHospitals(c *Ctx, f *Form, city string) {
	hospitals, err := s.api.Hospitals(c.R.Context(), city, "")
	if err != nil {
		c.apiFail(err)
		return
	}
	var opts []Option
	for _, h := range hospitals {
		opts = append(opts, Option{Value: h.ID, Text: h.Name})
	}
	c.RenderStatus(statusOf(f), "choose", "doctors.hospital.title", f, choice{Field: "hospital", Legend: "doctors.hospital.title",
		Action: "/doctors/department", Back: "/doctors", Options: opts, Hidden: map[string]string{"city": city},
		Empty: "doctors.hospital.none"})
}

// hospital reads the hospital named by the query's hospital parameter; false when it has answered (404).
func (s *Site) hospital(c *Ctx, id string) (gatewayapi.Hospital, bool) {
	if id == "" {
		s.notFound(c)
		return gatewayapi.Hospital{}, false
	}
	hs, err := s.api.Hospitals(c.R.Context(), "", id)
	if err != nil {
		c.apiFail(err)
		return gatewayapi.Hospital{}, false
	}
	if len(hs) != 1 {
		s.notFound(c)
		return gatewayapi.Hospital{}, false
	}
	return hs[0], true
}

func (s *Site) departmentPage(c *Ctx) {
	q := c.R.URL.Query()
	if q.Get("hospital") == "" {
		f := NewForm()
		f.Fail("hospital", c.Loc.T("doctors.hospital.required"))
		s.renderHospitals(c, f, q.Get("city"))
		return
	}
	h, ok := s.hospital(c, q.Get("hospital"))
	if !ok {
		return
	}
	s.renderDepartments(c, NewForm().Set("department", q.Get("department")), h)
}

func (s *Site) renderDepartments(c *Ctx, f *Form, h gatewayapi.Hospital) {
	doctors, err := s.api.Doctors(c.R.Context(), h.ID, "", "")
	if err != nil {
		c.apiFail(err)
		return
	}
	seen := map[string]bool{}
	var opts []Option
	for _, d := range doctors {
		if d.Specialty != "" && !seen[d.Specialty] {
			seen[d.Specialty] = true
			opts = append(opts, Option{Value: d.Specialty, Text: c.specialtyName(d.Specialty)})
		}
	}
	sort.Slice(opts, func(i, j int) bool { return opts[i].Text < opts[j].Text })
	c.RenderStatus(statusOf(f), "choose", "doctors.department.title", f, choice{Field: "department",
		Legend: "doctors.department.title", Hint: h.Name, Action: "/doctors/doctor",
		Back: "/doctors/hospital?" + url.Values{"city": {h.City}, "hospital": {h.ID}}.Encode(), Options: opts,
		Hidden: map[string]string{"hospital": h.ID}, Empty: "doctors.department.none"})
}

func (s *Site) doctorPage(c *Ctx) {
	q := c.R.URL.Query()
	h, ok := s.hospital(c, q.Get("hospital"))
	if !ok {
		return
	}
	if q.Get("department") == "" {
		f := NewForm()
		f.Fail("department", c.Loc.T("doctors.department.required"))
		s.renderDepartments(c, f, h)
		return
	}
	s.renderDoctors(c, NewForm().Set("doctor", q.Get("doctor")), h, q.Get("department"))
}

func (s *Site) renderDoctors(c *Ctx, f *Form, h gatewayapi.Hospital, department string) {
	doctors, err := s.api.Doctors(c.R.Context(), h.ID, department, "")
	if err != nil {
		c.apiFail(err)
		return
	}
	var opts []Option
	for _, d := range doctors {
		opts = append(opts, Option{Value: d.ID, Text: d.Name})
	}
	c.RenderStatus(statusOf(f), "choose", "doctors.doctor.title", f, choice{Field: "doctor", Legend: "doctors.doctor.title",
		Hint: h.Name + " – " + c.specialtyName(department), Action: "/doctors/slots",
		Back:    "/doctors/department?" + url.Values{"hospital": {h.ID}, "department": {department}}.Encode(),
		Options: opts, Hidden: map[string]string{"hospital": h.ID, "department": department}, Empty: "doctors.doctor.none"})
}

// statusOf is 422 for a form sent back with errors, else 200.
func statusOf(f *Form) int {
	if f.HasErrors() {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}
