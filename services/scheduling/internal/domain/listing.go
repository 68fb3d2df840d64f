package domain

import (
	"encoding/base64"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// AppointmentListing is an appointment as a list shows it: with the names of its resource, entity and
// subscriber and the entity's time zone, so that a client need not look each one up.
type AppointmentListing struct {
	Appointment
	ResourceName, Specialty, EntityName, TimeZone, SubscriberName string
}

// MaxAppointmentPage is the most appointments one page of a list holds (and the size of a page not asked
// for).
const MaxAppointmentPage = 500

// AppointmentCursor is where a page of appointments (ordered by start, then id) continues: after this one.
type AppointmentCursor struct {
	Start time.Time
	ID    string
}

// Token is the cursor as an opaque page token.
func (c AppointmentCursor) Token() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.Start.UTC().Format(time.RFC3339Nano) + "|" + c.ID))
}

// ParsePageToken reads a page token (nil for ""); anything it did not make is InvalidArgument on page_token.
func ParsePageToken(token string) (*AppointmentCursor, error) {
	if token == "" {
		return nil, nil
	}
	bad := apierr.Invalid(ReasonInvalidFilter, "page_token is not one this list gave: start again without it",
		apierr.FieldViolation{Field: "page_token", Description: "use the next_page_token of the previous page"})
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, bad
	}
	at, id, ok := strings.Cut(string(raw), "|")
	t, err := time.Parse(time.RFC3339Nano, at)
	if !ok || err != nil || CheckID("page_token", id) != nil {
		return nil, bad
	}
	return &AppointmentCursor{Start: t, ID: id}, nil
}

// PageSize reads a requested page size: 0 is MaxAppointmentPage, 1 to MaxAppointmentPage as asked.
func PageSize(n int32) (int, error) {
	switch {
	case n == 0:
		return MaxAppointmentPage, nil
	case n < 0 || n > MaxAppointmentPage:
		return 0, apierr.Invalid(ReasonInvalidFilter, "page_size must be 1 to 500",
			apierr.FieldViolation{Field: "page_size", Description: "1 to 500 (500 when not given)"})
	}
	return int(n), nil
}
