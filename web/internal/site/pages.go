package site

import (
	"net/http"
	"sort"

	"github.com/govstackbb/marketplace/web/internal/i18n"
	"github.com/govstackbb/marketplace/web/internal/session"
)

// Roles of Registration's tokens that pages ask for.
const (
	roleCitizen  = "citizen"
	roleBuyer    = "buyer"
	roleSupplier = "supplier"
	roleStaff    = "staff"
	roleAdmin    = "admin"
)

// allPages is the portal's page registry: every route, who may open it and its place in the navigation.
// The journeys still to come add their pages here — the buyer's tenders (Role(roleBuyer)), the supplier's
// open tenders and bids (Role(roleSupplier)) and the administrator's dashboards (Role(roleAdmin)) — each
// with a Nav entry where it belongs.
func (s *Site) allPages() []Page {
	signedOut := Access{SignedOut: true}
	staff := Access{SignedIn: true, Roles: []string{roleStaff}, Hospital: true}
	return []Page{
		{Pattern: "GET /{$}", Access: Public, Handle: s.home, Nav: &Nav{Label: "nav.home", Path: "/", Order: 0}},
		{Pattern: "GET /language/{lang}", Access: Public, Handle: s.switchLanguage},

		// Signing in and out, activation and password reset (auth.go, links.go).
		{Pattern: "GET /sign-in", Access: signedOut, Handle: s.signInPage, Nav: &Nav{Label: "nav.sign_in", Path: "/sign-in", Order: 90}},
		{Pattern: "POST /sign-in", Access: Public, Handle: s.signIn},
		{Pattern: "POST /sign-out", Access: Public, Handle: s.signOut},
		{Pattern: "GET /activate", Access: Public, Handle: s.activatePage},
		{Pattern: "POST /activate", Access: Public, Handle: s.activate},
		{Pattern: "GET /forgot-password", Access: Public, Handle: s.forgotPasswordPage},
		{Pattern: "POST /forgot-password", Access: Public, Handle: s.forgotPassword},
		{Pattern: "GET /reset-password", Access: Public, Handle: s.resetPasswordPage},
		{Pattern: "POST /reset-password", Access: Public, Handle: s.resetPassword},
		{Pattern: "GET /check-email", Access: Public, Handle: s.checkEmailPage},

		// Registration journeys (register_*.go).
		{Pattern: "GET /register", Access: signedOut, Handle: s.registerStart, Nav: &Nav{Label: "nav.register", Path: "/register", Order: 80}},
		{Pattern: "GET /register/citizen", Access: signedOut, Handle: s.citizenPage},
		{Pattern: "POST /register/citizen", Access: signedOut, Handle: s.registerCitizen},
		{Pattern: "GET /register/buyer", Access: signedOut, Handle: s.buyerPage},
		{Pattern: "POST /register/buyer", Access: signedOut, Handle: s.registerBuyer},
		{Pattern: "GET /register/domain-request", Access: signedOut, Handle: s.domainRequestPage},
		{Pattern: "POST /register/domain-request", Access: signedOut, Handle: s.requestDomain},
		{Pattern: "GET /register/supplier", Access: signedOut, Handle: s.supplierCompanyPage},
		{Pattern: "POST /register/supplier", Access: signedOut, Handle: s.supplierCompany},
		{Pattern: "GET /register/supplier/details", Access: signedOut, Handle: s.supplierDetailsPage},
		{Pattern: "POST /register/supplier/details", Access: signedOut, Handle: s.supplierDetails},
		{Pattern: "GET /register/supplier/check", Access: signedOut, Handle: s.supplierCheckPage},
		{Pattern: "POST /register/supplier/check", Access: signedOut, Handle: s.supplierSubmit},

		// Citizen: find a doctor and book (doctors.go, booking.go, appointments.go).
		{Pattern: "GET /doctors", Access: Public, Handle: s.cityPage, Nav: &Nav{Label: "nav.doctors", Path: "/doctors", Order: 10}},
		{Pattern: "GET /doctors/hospital", Access: Public, Handle: s.hospitalPage},
		{Pattern: "GET /doctors/department", Access: Public, Handle: s.departmentPage},
		{Pattern: "GET /doctors/doctor", Access: Public, Handle: s.doctorPage},
		{Pattern: "GET /doctors/slots", Access: Public, Handle: s.slotsPage},
		{Pattern: "GET /book", Access: Role(roleCitizen), Handle: s.bookPage},
		{Pattern: "POST /book", Access: Role(roleCitizen), Handle: s.book},
		{Pattern: "GET /appointments", Access: Role(roleCitizen), Handle: s.appointmentsPage,
			Nav: &Nav{Label: "nav.appointments", Path: "/appointments", Order: 20}},
		{Pattern: "GET /appointments/{id}", Access: Role(roleCitizen), Handle: s.appointmentPage},
		{Pattern: "GET /appointments/{id}/cancel", Access: Role(roleCitizen), Handle: s.cancelPage},
		{Pattern: "POST /appointments/{id}/cancel", Access: Role(roleCitizen), Handle: s.cancel},
		{Pattern: "GET /appointments/{id}/reschedule", Access: Role(roleCitizen), Handle: s.reschedulePage},
		{Pattern: "POST /appointments/{id}/reschedule", Access: Role(roleCitizen), Handle: s.reschedule},
		{Pattern: "GET /appointments/{id}/documents/{doc}", Access: Role(roleCitizen), Handle: s.citizenDocument},

		// Hospital staff: the day, check-in, documents (hospital.go, documents.go).
		{Pattern: "GET /hospital/today", Access: staff, Handle: s.todayPage,
			Nav: &Nav{Label: "nav.hospital_today", Path: "/hospital/today", Order: 30}},
		{Pattern: "GET /hospital/appointments/{id}", Access: staff, Handle: s.staffAppointmentPage},
		{Pattern: "POST /hospital/appointments/{id}/check-in", Access: staff, Handle: s.checkIn},
		{Pattern: "POST /hospital/appointments/{id}/documents", Access: staff, Handle: s.uploadDocument, Upload: true},
		{Pattern: "GET /hospital/appointments/{id}/documents/{doc}", Access: staff, Handle: s.staffDocument},

		// The administrator's domain-access requests (admin.go).
		{Pattern: "GET /admin/domain-requests", Access: Role(roleAdmin), Handle: s.domainRequestsPage,
			Nav: &Nav{Label: "nav.domain_requests", Path: "/admin/domain-requests", Order: 40}},
		{Pattern: "GET /admin/domain-requests/{task}", Access: Role(roleAdmin), Handle: s.domainRequestDecisionPage},
		{Pattern: "POST /admin/domain-requests/{task}", Access: Role(roleAdmin), Handle: s.decideDomainRequest},

		// The administrator's IM members, services and rights, message-log verification and dashboards
		// (admin_im.go, admin_rights.go, admin_msglog.go, dashboard*.go).
		{Pattern: "GET /admin/im", Access: Role(roleAdmin), Handle: s.imMembersPage,
			Nav: &Nav{Label: "nav.im", Path: "/admin/im", Order: 41}},
		{Pattern: "GET /admin/im/services/{provider}/{service}", Access: Role(roleAdmin), Handle: s.imServicePage},
		{Pattern: "POST /admin/im/services/{provider}/{service}/rights", Access: Role(roleAdmin), Handle: s.changeRight},
		{Pattern: "GET /admin/message-log", Access: Role(roleAdmin), Handle: s.messageLogPage,
			Nav: &Nav{Label: "nav.message_log", Path: "/admin/message-log", Order: 42}},
		{Pattern: "GET /admin/dashboards", Access: Role(roleAdmin), Handle: s.dashboardPage,
			Nav: &Nav{Label: "nav.dashboards", Path: "/admin/dashboards", Order: 43}},
		{Pattern: "GET /admin/dashboards/workflow/{process}", Access: Role(roleAdmin), Handle: s.workflowProcessPage},
	}
}

func sortPagesByNav(pages []Page) {
	sort.SliceStable(pages, func(i, j int) bool { return pages[i].Nav.Order < pages[j].Nav.Order })
}

// home is the start page: what a person can do here.
func (s *Site) home(c *Ctx) {
	c.Render("home", "home.title", nil, map[string]bool{
		"Citizen": c.Data.HasRole(roleCitizen), "Buyer": c.Data.HasRole(roleBuyer), "Supplier": c.Data.HasRole(roleSupplier),
		"Staff": c.Data.HasRole(roleStaff) && c.Data.Account.HospitalID != "", "Admin": c.Data.HasRole(roleAdmin)})
}

// switchLanguage keeps the person's choice of language and goes back to the page they were on.
func (s *Site) switchLanguage(c *Ctx) {
	lang := c.R.PathValue("lang")
	if !i18n.Supported(lang) {
		s.notFound(c)
		return
	}
	c.Sess.Update(func(d *session.Data) { d.Lang = lang })
	http.Redirect(c.W, c.R, SafeNext(c.R.URL.Query().Get("next"), "/"), http.StatusSeeOther)
}

// registerStart asks which account a person wants.
func (s *Site) registerStart(c *Ctx) {
	if c.Data.SignedIn() {
		c.Redirect("/")
		return
	}
	c.Render("register", "register.title", nil, nil)
}
