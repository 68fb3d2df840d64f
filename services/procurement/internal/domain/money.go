package domain

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var amountPattern = regexp.MustCompile(`^[0-9]{1,13}(\.[0-9]{1,2})?$`)

// Cents reads a decimal amount ("1500", "1500.5", "1500.50") as hundredths. Amounts have at most two
// decimals: every currency a tender takes (currencyPattern) is one of two-decimal scale.
func Cents(s string) (int64, bool) {
	if !amountPattern.MatchString(s) {
		return 0, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	frac = (frac + "00")[:2]
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	return w*100 + f, true
}

// FormatCents writes hundredths as a decimal string with two decimals.
func FormatCents(c int64) string { return fmt.Sprintf("%d.%02d", c/100, c%100) }

// currencies are the ISO 4217 codes tenders are priced in (two-decimal currencies).
var currencies = map[string]bool{"EUR": true, "GBP": true, "USD": true, "KES": true, "ZAR": true, "INR": true}
