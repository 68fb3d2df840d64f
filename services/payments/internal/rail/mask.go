package rail

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
)

// Mask hides all but the last three characters of an account number or MSISDN ("+254712345678" →
// "**********678"), enough for a person to tell two accounts apart in a log and not enough to pay one.
// Short values are masked whole.
func Mask(s string) string {
	n := utf8.RuneCountInString(s)
	if n <= 4 {
		return strings.Repeat("*", n)
	}
	r := []rune(s)
	return strings.Repeat("*", n-3) + string(r[n-3:])
}

// maxReasonLen bounds a reason the rail sends: it is stored and shown, and comes from outside.
const maxReasonLen = 200

// cleanReason makes a rail's reason safe to store and log: control characters become spaces, runs of six
// or more digits (account numbers, MSISDNs a rail may quote) are masked, and it is cut to maxReasonLen.
func cleanReason(s string) string {
	var b, digits strings.Builder
	flush := func() {
		if digits.Len() >= 6 {
			b.WriteString(Mask(digits.String()))
		} else {
			b.WriteString(digits.String())
		}
		digits.Reset()
	}
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits.WriteRune(r)
			continue
		}
		flush()
		if r == utf8.RuneError || unicode.IsControl(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
	flush()
	out := b.String()
	if utf8.RuneCountInString(out) > maxReasonLen {
		out = string([]rune(out)[:maxReasonLen])
	}
	return out
}

// unknownAccount reports whether the rail refused because it does not know the payee's account.
func (e *RejectedError) unknownAccount() bool {
	return e.Category == mmapi.CategoryIdentification && e.Code == mmapi.CodeIdentifierError
}
