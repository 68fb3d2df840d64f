package site

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

var citizenFields = fieldMap{prefix: "citizen", fields: map[string]string{
	"citizen.nationalId": "nationalId", "citizen.firstName": "firstName", "citizen.lastName": "lastName",
	"citizen.birthDate": "birthDate", "citizen.email": "email", "citizen.phone": "phone"},
	reasons: map[string]reasonError{"CITIZEN_NOT_VERIFIED": {"nationalId", "citizen.nationalId.not_verified"}}}

var citizenFormFields = []string{"nationalId", "firstName", "lastName", "birthDate-day", "birthDate-month", "birthDate-year", "email", "phone"}

func (s *Site) citizenPage(c *Ctx) { c.Render("register-citizen", "citizen.title", nil, nil) }

// registerCitizen is a citizen's self-registration: Registration checks the person against the population
// register and e-mails an activation link.
func (s *Site) registerCitizen(c *Ctx) {
	f := FormFrom(c.R.PostForm, citizenFormFields...)
	birth, ok := dateOf(f, "birthDate")
	if !ok {
		key := "citizen.birthDate.invalid"
		if f.Value("birthDate-day")+f.Value("birthDate-month")+f.Value("birthDate-year") == "" {
			key = "citizen.birthDate.required"
		}
		f.Fail("birthDate", c.Loc.T(key))
	}
	// The API is asked even when the date is not one, so that the other fields' errors show too (it names
	// only the first bad field it finds: the gap is in the report).
	_, err := s.api.RegisterCitizen(c.R.Context(), gatewayapi.Citizen{NationalID: f.Value("nationalId"),
		FirstName: f.Value("firstName"), LastName: f.Value("lastName"), BirthDate: birth,
		Email: f.Value("email"), Phone: f.Value("phone")})
	if err != nil {
		citizenFields.apply(c, f, err)
	} else if !ok {
		s.log.Error("Registration accepted a citizen without a birth date")
	}
	if f.HasErrors() {
		c.RenderStatus(http.StatusUnprocessableEntity, "register-citizen", "citizen.title", f, nil)
		return
	}
	c.sentEmail(f.Value("email"), "activate")
}

// dateOf reads the three boxes of a date field as YYYY-MM-DD; false when they do not make a real date.
func dateOf(f *Form, name string) (string, bool) {
	d, err1 := strconv.Atoi(f.Value(name + "-day"))
	m, err2 := strconv.Atoi(f.Value(name + "-month"))
	y, err3 := strconv.Atoi(f.Value(name + "-year"))
	if err1 != nil || err2 != nil || err3 != nil || y < 1000 || y > 9999 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
		return "", false // 31 February
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), true
}
