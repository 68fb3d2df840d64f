package mmapi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Amounts travel as decimal strings ("200.00"); the BB counts int64 minor units. The number of decimals is
// the currency's ISO 4217 minor unit, so 150 JPY is "150", 150.00 KES is "150.00" and 1.500 BHD is "1.500".

// minorUnits lists the active ISO 4217 currency codes by their minor unit. Funds codes (BOV, CHE, ...) are
// included; precious metals and testing codes (XAU, XTS, XXX), which have no minor unit, are not.
var minorUnits = map[int][]string{
	0: {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"},
	3: {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"},
	4: {"CLF", "UYW"},
	2: {"AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BMD",
		"BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CNY",
		"COP", "COU", "CRC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP",
		"GBP", "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IRR",
		"JMD", "KES", "KGS", "KHR", "KPW", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "MAD", "MDL", "MGA",
		"MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO",
		"NOK", "NPR", "NZD", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SBD",
		"SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
		"TJS", "TMT", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "USD", "USN", "UYU", "UZS", "VED", "VES", "WST",
		"XCD", "XCG", "YER", "ZAR", "ZMW", "ZWG", "ZWL"},
}

// scaleOf is minorUnits by currency code.
var scaleOf = func() map[string]int {
	m := map[string]int{}
	for scale, codes := range minorUnits {
		for _, c := range codes {
			m[c] = scale
		}
	}
	return m
}()

// ErrCurrency is wrapped by every error about an unknown currency code.
var ErrCurrency = errors.New("not an ISO 4217 currency code")

// ErrAmount is wrapped by every error about an amount that is not a positive decimal in the currency's
// minor unit.
var ErrAmount = errors.New("invalid amount")

// MinorUnit is the number of decimals of currency (ISO 4217), or an error wrapping ErrCurrency.
func MinorUnit(currency string) (int, error) {
	s, ok := scaleOf[currency]
	if !ok {
		return 0, fmt.Errorf("%w: %q", ErrCurrency, truncate(currency, 8))
	}
	return s, nil
}

// FormatAmount writes minor units of currency as the API's decimal string: FormatAmount(12345, "KES") is
// "123.45". The amount must be positive: the rail moves money one way per instruction.
func FormatAmount(minor int64, currency string) (string, error) {
	scale, err := MinorUnit(currency)
	if err != nil {
		return "", err
	}
	if minor <= 0 {
		return "", fmt.Errorf("%w: %d minor units (must be positive)", ErrAmount, minor)
	}
	digits := strconv.FormatInt(minor, 10)
	if scale == 0 {
		return digits, nil
	}
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	cut := len(digits) - scale
	return digits[:cut] + "." + digits[cut:], nil
}

// ParseAmount reads the API's decimal string into minor units of currency. It accepts fewer decimals than
// the currency has ("150.5" KES is 15050) and refuses more, signs, exponents, spaces, zero and overflow:
// an amount that cannot be represented exactly is never rounded.
func ParseAmount(s, currency string) (int64, error) {
	scale, err := MinorUnit(currency)
	if err != nil {
		return 0, err
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) || (hasDot && (frac == "" || !allDigits(frac))) {
		return 0, fmt.Errorf("%w: %q is not a decimal number like 150.00", ErrAmount, truncate(s, 32))
	}
	if len(frac) > scale {
		return 0, fmt.Errorf("%w: %q has %d decimals, %s has %d", ErrAmount, truncate(s, 32), len(frac), currency, scale)
	}
	digits := strings.TrimLeft(whole+frac+strings.Repeat("0", scale-len(frac)), "0")
	if digits == "" {
		return 0, fmt.Errorf("%w: zero (must be positive)", ErrAmount)
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q is too large", ErrAmount, truncate(s, 32))
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// truncate keeps error messages short when the input is outside input.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
