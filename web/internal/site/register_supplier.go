package site

import (
	"net/http"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
	"github.com/govstackbb/marketplace/web/internal/session"
)

// A supplier registers in three steps: the company id (checked against the companies registry), the
// company's contact details, then "check your answers" and submit. The draft's id — a secret — stays in the
// session.

var supplierCompanyFields = fieldMap{prefix: "supplier", fields: map[string]string{"companyId": "companyId"},
	reasons: map[string]reasonError{
		"COMPANY_NOT_FOUND": {"companyId", "supplier.companyId.not_found"},
		"COMPANY_DISSOLVED": {"companyId", "supplier.companyId.dissolved"},
		"SUPPLIER_EXISTS":   {"companyId", "supplier.companyId.exists"},
	}}

var supplierDetailFields = fieldMap{prefix: "supplier", fields: map[string]string{"companyName": "companyName",
	"contactName": "contactName", "contactEmail": "contactEmail", "contactPhone": "contactPhone", "loginEmail": "loginEmail"},
	reasons: map[string]reasonError{"SUPPLIER_EXISTS": {"companyName", "supplier.companyId.exists"}}}

var supplierDetailFormFields = []string{"companyName", "contactName", "contactEmail", "contactPhone", "loginEmail"}

func (s *Site) supplierCompanyPage(c *Ctx) {
	f := NewForm()
	if d, ok := s.supplierDraft(c); ok {
		f.Set("companyId", d.CompanyID)
	}
	c.Render("register-supplier", "supplier.title", f, nil)
}

// supplierCompany starts the draft with the company id, or changes it on a draft already started.
func (s *Site) supplierCompany(c *Ctx) {
	f := FormFrom(c.R.PostForm, "companyId")
	var d gatewayapi.SupplierDraft
	var err error
	if old, ok := s.supplierDraft(c); ok {
		d, err = s.api.UpdateSupplierDraft(c.R.Context(), old.DraftID, gatewayapi.SupplierDraft{CompanyID: f.Value("companyId")})
	} else if f.Value("companyId") == "" {
		f.Fail("companyId", c.Loc.T("supplier.companyId.required"))
	} else {
		d, err = s.api.StartSupplier(c.R.Context(), f.Value("companyId"))
	}
	if err != nil {
		supplierCompanyFields.apply(c, f, err)
	}
	if f.HasErrors() {
		c.RenderStatus(http.StatusUnprocessableEntity, "register-supplier", "supplier.title", f, nil)
		return
	}
	c.Sess.Update(func(sd *session.Data) { sd.SupplierDraftID = d.DraftID })
	c.Redirect("/register/supplier/details")
}

// supplierDraft reads the session's draft; false when there is none (or it has expired).
func (s *Site) supplierDraft(c *Ctx) (gatewayapi.SupplierDraft, bool) {
	if c.Data.SupplierDraftID == "" {
		return gatewayapi.SupplierDraft{}, false
	}
	d, err := s.api.SupplierDraft(c.R.Context(), c.Data.SupplierDraftID)
	if err != nil {
		if !isStatus(err, http.StatusNotFound) {
			s.log.Warn("reading a supplier draft", "error", err)
		}
		return gatewayapi.SupplierDraft{}, false
	}
	return d, true
}

func (s *Site) supplierDetailsPage(c *Ctx) {
	d, ok := s.supplierDraft(c)
	if !ok {
		c.Redirect("/register/supplier")
		return
	}
	f := NewForm().Set("companyName", firstNonEmpty(d.CompanyName, d.RegisteredName)).Set("contactName", d.ContactName).
		Set("contactEmail", d.ContactEmail).Set("contactPhone", d.ContactPhone).Set("loginEmail", d.LoginEmail)
	c.Render("register-supplier-details", "supplier.details_title", f, d)
}

// supplierDetails saves the contact details on the draft, then shows the answers to check.
func (s *Site) supplierDetails(c *Ctx) {
	d, ok := s.supplierDraft(c)
	if !ok {
		c.Redirect("/register/supplier")
		return
	}
	f := FormFrom(c.R.PostForm, supplierDetailFormFields...)
	for _, k := range supplierDetailFormFields {
		if f.Value(k) == "" {
			f.Fail(k, c.Loc.T("supplier."+k+".required"))
		}
	}
	if !f.HasErrors() {
		_, err := s.api.UpdateSupplierDraft(c.R.Context(), d.DraftID, gatewayapi.SupplierDraft{CompanyName: f.Value("companyName"),
			ContactName: f.Value("contactName"), ContactEmail: f.Value("contactEmail"), ContactPhone: f.Value("contactPhone"),
			LoginEmail: f.Value("loginEmail")})
		if err != nil {
			supplierDetailFields.apply(c, f, err)
		}
	}
	if f.HasErrors() {
		c.RenderStatus(http.StatusUnprocessableEntity, "register-supplier-details", "supplier.details_title", f, d)
		return
	}
	c.Redirect("/register/supplier/check")
}

func (s *Site) supplierCheckPage(c *Ctx) {
	d, ok := s.supplierDraft(c)
	if !ok {
		c.Redirect("/register/supplier")
		return
	}
	c.Render("register-supplier-check", "supplier.check_title", nil, d)
}

// supplierSubmit creates the supplier account; the activation link goes to the login e-mail.
func (s *Site) supplierSubmit(c *Ctx) {
	d, ok := s.supplierDraft(c)
	if !ok {
		c.Redirect("/register/supplier")
		return
	}
	if _, err := s.api.SubmitSupplier(c.R.Context(), d.DraftID); err != nil {
		// The check page has no inputs: what the API refuses is said for the whole form, with a change link.
		f := NewForm()
		switch gatewayapi.ReasonOf(err) {
		case "INCOMPLETE_DRAFT":
			f.Problem = c.Loc.T("supplier.incomplete")
		case "SUPPLIER_EXISTS":
			f.Problem = c.Loc.T("supplier.companyId.exists")
		default:
			supplierDetailFields.apply(c, f, NewProblemOnly(err))
		}
		c.RenderStatus(http.StatusUnprocessableEntity, "register-supplier-check", "supplier.check_title", f, d)
		return
	}
	c.Sess.Update(func(sd *session.Data) { sd.SupplierDraftID = "" })
	c.sentEmail(d.LoginEmail, "activate")
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
