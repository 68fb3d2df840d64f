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
// The journeys still to come add their pages here — the administrator's dashboards (Role(roleAdmin)) —
// each with a Nav entry where it belongs.
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

		// Tenders: open tenders and a tender's page for anyone, questions and bids for suppliers
		// (tenders_public.go, bids_supplier.go); the buyer's tenders from draft to payment (tenders_buyer.go,
		// tenders_manage.go, tenders_evaluation.go, tenders_contract.go); payments to authorise (payments.go).
		{Pattern: "GET /tenders", Access: Public, Handle: s.openTendersPage, Nav: &Nav{Label: "nav.tenders", Path: "/tenders", Order: 14}},
		{Pattern: "GET /tenders/{id}", Access: Public, Handle: s.tenderPage},
		{Pattern: "GET /tenders/{id}/documents/{doc}", Access: Public, Handle: s.tenderDocument},
		{Pattern: "GET /tenders/{id}/bids/{bid}/documents/{doc}", Access: Role(roleBuyer, roleSupplier), Handle: s.bidDocument},
		{Pattern: "POST /tenders/{id}/questions", Access: Role(roleSupplier), Handle: s.askQuestion},
		{Pattern: "GET /tenders/{id}/bid", Access: Role(roleSupplier), Handle: s.bidPage},
		{Pattern: "POST /tenders/{id}/bid", Access: Role(roleSupplier), Handle: s.submitBid, Upload: true},
		{Pattern: "POST /tenders/{id}/bid/withdraw", Access: Role(roleSupplier), Handle: s.withdrawBid},
		{Pattern: "POST /tenders/{id}/complaints", Access: Role(roleSupplier), Handle: s.fileComplaint},
		{Pattern: "GET /bids", Access: Role(roleSupplier), Handle: s.myBidsPage, Nav: &Nav{Label: "nav.bids", Path: "/bids", Order: 16}},
		{Pattern: "GET /buyer/tenders", Access: Role(roleBuyer), Handle: s.myTendersPage,
			Nav: &Nav{Label: "nav.my_tenders", Path: "/buyer/tenders", Order: 15}},
		{Pattern: "GET /buyer/tenders/new", Access: Role(roleBuyer), Handle: s.newTenderPage},
		{Pattern: "POST /buyer/tenders/new", Access: Role(roleBuyer), Handle: s.createTender, Upload: true},
		{Pattern: "GET /buyer/tenders/{id}", Access: Role(roleBuyer), Handle: s.buyerTenderPage},
		{Pattern: "GET /buyer/tenders/{id}/edit", Access: Role(roleBuyer), Handle: s.editTenderPage},
		{Pattern: "POST /buyer/tenders/{id}/edit", Access: Role(roleBuyer), Handle: s.updateTender, Upload: true},
		{Pattern: "POST /buyer/tenders/{id}/publish", Access: Role(roleBuyer), Handle: s.publishTender},
		{Pattern: "GET /buyer/tenders/{id}/cancel", Access: Role(roleBuyer), Handle: s.cancelTenderPage},
		{Pattern: "POST /buyer/tenders/{id}/cancel", Access: Role(roleBuyer), Handle: s.cancelTender},
		{Pattern: "POST /buyer/tenders/{id}/questions/{question}/answer", Access: Role(roleBuyer), Handle: s.answerQuestion},
		{Pattern: "POST /buyer/tenders/{id}/declaration", Access: Role(roleBuyer), Handle: s.declare},
		{Pattern: "GET /buyer/tenders/{id}/bids/{bid}/score", Access: Role(roleBuyer), Handle: s.scorePage},
		{Pattern: "POST /buyer/tenders/{id}/bids/{bid}/score", Access: Role(roleBuyer), Handle: s.scoreBid},
		{Pattern: "POST /buyer/tenders/{id}/tasks/{task}", Access: Role(roleBuyer), Handle: s.completeTask},
		{Pattern: "POST /buyer/tenders/{id}/complaints/{complaint}/resolve", Access: Role(roleBuyer), Handle: s.resolveComplaint},
		{Pattern: "GET /buyer/tenders/{id}/contract", Access: Role(roleBuyer), Handle: s.contractPage},
		{Pattern: "POST /buyer/tenders/{id}/contract", Access: Role(roleBuyer), Handle: s.signContract},
		{Pattern: "POST /buyer/tenders/{id}/milestones/{milestone}/delivery", Access: Role(roleBuyer), Handle: s.confirmDelivery},
		{Pattern: "GET /payments", Access: Role(roleAdmin), Handle: s.paymentsPage, Nav: &Nav{Label: "nav.payments", Path: "/payments", Order: 45}},
		{Pattern: "POST /payments/{batch}/authorise", Access: Role(roleAdmin), Handle: s.authorisePayment},

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
