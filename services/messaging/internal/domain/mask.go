package domain

import (
	"errors"
	"regexp"
	"strings"
)

// What MaskAddresses hides: e-mail addresses and phone numbers (eight or more digits, optionally with a
// leading + and separators), the personal data a delivery error most often carries.
var (
	emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	phonePattern = regexp.MustCompile(`\+?\d[\d \-]{6,}\d`)
)

// MaskAddresses replaces e-mail addresses and phone numbers in s, so that an SMTP server's or SMS
// provider's error can go into a log: "550 5.1.1 <mari@example.org> unknown" → "550 5.1.1 <address> unknown".
func MaskAddresses(s string) string {
	s = emailPattern.ReplaceAllString(s, "address")
	return phonePattern.ReplaceAllString(s, "number")
}

// LogReason is a failed attempt to deliver m as it may be written to a log, which must not hold personal
// data: the failure's loggable description when its sender gave one (SendError.Loggable), m's own subject,
// text and recipient name cut out should a server quote them, then addresses and numbers masked.
func LogReason(err error, m Message) string {
	reason := err.Error()
	var se *SendError
	if errors.As(err, &se) && se.Loggable != "" {
		kind := "temporary"
		if se.Permanent {
			kind = "permanent"
		}
		reason = kind + ": " + se.Loggable
	}
	for _, personal := range []string{m.BodyText, m.BodyHTML, m.Subject, m.RecipientName} {
		if len(personal) >= 4 { // shorter strings are too likely to occur in the error's own words
			reason = strings.ReplaceAll(reason, personal, "<content>")
		}
	}
	return MaskAddresses(reason)
}
