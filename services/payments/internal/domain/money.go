package domain

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Amounts are int64 counts of the currency's minor unit (cents for EUR, yen for JPY, fils for KWD). They
// enter and leave the API as decimal text — never as a float — and are checked against the currency's scale.

// maxAmountDigits bounds the whole digits of an amount: 10^15 units of any currency with up to 3 decimals
// still fits an int64 with room for sums of many of them.
const maxAmountDigits = 15

// ReasonInvalidAmount and ReasonInvalidCurrency are the error reasons of ParseAmount and ParseCurrency.
const (
	ReasonInvalidAmount   = "INVALID_AMOUNT"
	ReasonInvalidCurrency = "INVALID_CURRENCY"
)

// ParseCurrency checks an ISO 4217 code sent in field.
func ParseCurrency(field, code string) (string, error) {
	if _, ok := CurrencyScale(code); !ok {
		return "", apierr.Invalid(ReasonInvalidCurrency,
			fmt.Sprintf("%s: %q is not an ISO 4217 currency code one can pay in (e.g. EUR, USD, KES)", field, clip(code)),
			apierr.FieldViolation{Field: field, Description: "must be an ISO 4217 currency code, e.g. EUR"})
	}
	return code, nil
}

// ParseAmount reads a positive decimal amount of currency sent in field ("10", "10.5", "10.50") into minor
// units. More decimals than the currency has are refused unless they are zeros ("10.500" EUR is 1050); so
// are signs, exponents, spaces and amounts of more than 15 whole digits.
func ParseAmount(field, text, currency string) (int64, error) {
	scale, ok := CurrencyScale(currency)
	if !ok {
		_, err := ParseCurrency("currency", currency)
		return 0, err
	}
	whole, frac, hasPoint := strings.Cut(text, ".")
	bad := func(why string) (int64, error) {
		return 0, apierr.Invalid(ReasonInvalidAmount, fmt.Sprintf("%s: %q %s", field, clip(text), why),
			apierr.FieldViolation{Field: field, Description: why})
	}
	switch {
	case whole == "" || !digits(whole) || (hasPoint && (frac == "" || !digits(frac))):
		return bad(fmt.Sprintf("is not a decimal amount: expected digits with an optional point, e.g. %q", example(scale)))
	case len(whole) > 1 && whole[0] == '0':
		return bad("has a leading zero")
	case len(whole) > maxAmountDigits:
		return bad(fmt.Sprintf("is too large: at most %d whole digits", maxAmountDigits))
	}
	significant := strings.TrimRight(frac, "0")
	if len(significant) > scale {
		return bad(fmt.Sprintf("has more decimals than %s allows (%d)", currency, scale))
	}
	minor, _ := strconv.ParseInt(whole, 10, 64) // ≤ 15 digits: cannot overflow
	minor *= pow10(scale)
	if significant != "" {
		f, _ := strconv.ParseInt(significant+strings.Repeat("0", scale-len(significant)), 10, 64)
		minor += f
	}
	if minor <= 0 {
		return bad("must be more than zero")
	}
	return minor, nil
}

// FormatAmount writes minor units of currency as decimal text with the currency's scale: 1050 EUR is "10.50".
func FormatAmount(minor int64, currency string) string {
	scale, _ := CurrencyScale(currency)
	sign := ""
	u := uint64(minor)
	if minor < 0 {
		sign, u = "-", uint64(-(minor+1))+1 // math.MinInt64 has no positive int64
	}
	if scale == 0 {
		return sign + strconv.FormatUint(u, 10)
	}
	p := uint64(pow10(scale))
	return fmt.Sprintf("%s%d.%0*d", sign, u/p, scale, u%p)
}

func pow10(n int) int64 { return int64(math.Pow10(n)) }

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func example(scale int) string {
	if scale == 0 {
		return "1500"
	}
	return "1500." + strings.Repeat("0", scale)
}

// clip shortens text echoed in an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
