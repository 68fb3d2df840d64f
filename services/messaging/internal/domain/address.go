package domain

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// e164 is an international number: '+', a non-zero country digit, 7 to 15 digits in all.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// MaxEmailLength is RFC 5321's limit on a forward path.
const MaxEmailLength = 254

// NormalizeEmail checks that s is one bare address (no display name, no list) and returns it trimmed, with
// the domain lower-cased. The reason is for a per-recipient error.
func NormalizeEmail(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "is required"
	}
	if len(s) > MaxEmailLength {
		return "", "is longer than 254 characters"
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", "is not a valid e-mail address (want local@domain)"
	}
	at := strings.LastIndexByte(s, '@')
	if !strings.Contains(s[at+1:], ".") && s[at+1:] != "localhost" {
		return "", "is not a valid e-mail address (the domain has no dot)"
	}
	return s[:at] + "@" + strings.ToLower(s[at+1:]), ""
}

// NormalizeEmailList checks a comma-separated Cc/Bcc list; empty is fine.
func NormalizeEmailList(s string) (string, string) {
	if strings.TrimSpace(s) == "" {
		return "", ""
	}
	var out []string
	for _, part := range strings.Split(s, ",") {
		a, reason := NormalizeEmail(part)
		if reason != "" {
			return "", reason
		}
		out = append(out, a)
	}
	return strings.Join(out, ","), ""
}

// NormalizePhone checks an E.164 number; spaces and dashes are removed first.
func NormalizePhone(s string) (string, string) {
	s = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return "", "is required"
	}
	if !e164.MatchString(s) {
		return "", "is not an E.164 number (want + and 7 to 15 digits, e.g. +3725551234)"
	}
	return s, ""
}

// OptOut is an address that receives no non-transactional messages on its channel.
type OptOut struct {
	Channel   Channel
	Address   string
	CreatedAt time.Time
}

// NormalizeAddress validates an address for channel c.
func NormalizeAddress(c Channel, s string) (string, string) {
	if c == SMS {
		return NormalizePhone(s)
	}
	return NormalizeEmail(s)
}
