package domain

import "regexp"

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
