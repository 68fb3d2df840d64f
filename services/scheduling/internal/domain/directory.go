package domain

import (
	"net/mail"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Check validates an entity: a name, and an IANA time zone its working hours can be read in ("Local" would
// be the server's zone, which is no hospital's).
func (e Entity) Check() error {
	if err := Required("name", e.Name); err != nil {
		return err
	}
	if _, err := time.LoadLocation(e.TimeZone); err != nil || e.TimeZone == "" || e.TimeZone == "Local" {
		return apierr.Invalid(ReasonUnknownTimeZone, "time_zone "+e.TimeZone+" is not an IANA time zone name",
			apierr.FieldViolation{Field: "time_zone", Description: "an IANA name such as Europe/Tallinn"})
	}
	return nil
}

// Patch changes the fields patch gives (non-empty); the id stays.
func (e *Entity) Patch(patch Entity) {
	merge(&e.Name, patch.Name)
	merge(&e.Category, patch.Category)
	merge(&e.City, patch.City)
	merge(&e.TimeZone, patch.TimeZone)
	merge(&e.Email, patch.Email)
	merge(&e.Phone, patch.Phone)
	merge(&e.Website, patch.Website)
}

// Slot lengths a resource may have: 5 minutes to a working day.
const (
	MinSlotMinutes = 5
	MaxSlotMinutes = 480
)

// Check validates a resource: a name and a slot length in bounds.
func (r Resource) Check() error {
	if err := Required("name", r.Name); err != nil {
		return err
	}
	if r.SlotMinutes < MinSlotMinutes || r.SlotMinutes > MaxSlotMinutes {
		return apierr.Invalid(ReasonInvalidInput, "slot_minutes must be between 5 and 480",
			apierr.FieldViolation{Field: "slot_minutes", Description: "between 5 and 480"})
	}
	return nil
}

// Patch changes the fields patch gives (non-empty, non-zero); the id stays.
func (r *Resource) Patch(patch Resource) {
	merge(&r.Name, patch.Name)
	merge(&r.Category, patch.Category)
	merge(&r.Specialty, patch.Specialty)
	merge(&r.Email, patch.Email)
	merge(&r.Phone, patch.Phone)
	if patch.SlotMinutes != 0 {
		r.SlotMinutes = patch.SlotMinutes
	}
}

// CheckSubscriber validates the citizen of a booking: an id, a name, and an e-mail or a phone to confirm to.
func CheckSubscriber(s Subscriber) error {
	var v []apierr.FieldViolation
	if strings.TrimSpace(s.ID) == "" {
		v = append(v, apierr.FieldViolation{Field: "subscriber.subscriber_id", Description: "required"})
	}
	if strings.TrimSpace(s.Name) == "" {
		v = append(v, apierr.FieldViolation{Field: "subscriber.name", Description: "required"})
	}
	if s.Email != "" {
		if _, err := mail.ParseAddress(s.Email); err != nil {
			v = append(v, apierr.FieldViolation{Field: "subscriber.email", Description: "not an e-mail address"})
		}
	}
	if s.Email == "" && s.Phone == "" {
		v = append(v, apierr.FieldViolation{Field: "subscriber.email", Description: "an e-mail or a phone is required for the confirmation"})
	}
	if len(v) > 0 {
		return apierr.Invalid(ReasonInvalidInput, "invalid subscriber", v...)
	}
	return nil
}

// Patch changes the fields patch gives (non-empty); the id stays.
func (s *Subscriber) Patch(patch Subscriber) {
	merge(&s.Name, patch.Name)
	merge(&s.Email, patch.Email)
	merge(&s.Phone, patch.Phone)
	merge(&s.Category, patch.Category)
	merge(&s.NationalID, patch.NationalID)
}

func merge(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}
