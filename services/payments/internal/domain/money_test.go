package domain

import (
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/platform/apierr"
)

func TestParseAmount(t *testing.T) {
	for _, c := range []struct {
		text, currency string
		want           int64
		problem        string // part of the error message; "" when it parses
	}{
		{"10", "EUR", 1000, ""},
		{"10.5", "EUR", 1050, ""},
		{"10.50", "EUR", 1050, ""},
		{"10.500", "EUR", 1050, ""}, // trailing zeros beyond the scale change nothing
		{"0.01", "EUR", 1, ""},
		{"1500", "JPY", 1500, ""},
		{"1500.0", "JPY", 1500, ""},
		{"1.234", "KWD", 1234, ""},
		{"0.0001", "CLF", 1, ""},
		{"999999999999999.99", "EUR", 99999999999999999, ""},
		{"10.555", "EUR", 0, "more decimals than EUR allows (2)"},
		{"1500.5", "JPY", 0, "more decimals than JPY allows (0)"},
		{"0", "EUR", 0, "more than zero"},
		{"0.00", "EUR", 0, "more than zero"},
		{"-10", "EUR", 0, "not a decimal amount"},
		{"+10", "EUR", 0, "not a decimal amount"},
		{"1e3", "EUR", 0, "not a decimal amount"},
		{"10.", "EUR", 0, "not a decimal amount"},
		{".5", "EUR", 0, "not a decimal amount"},
		{" 10", "EUR", 0, "not a decimal amount"},
		{"1,000.00", "EUR", 0, "not a decimal amount"},
		{"", "EUR", 0, "not a decimal amount"},
		{"010", "EUR", 0, "leading zero"},
		{"1000000000000000", "EUR", 0, "too large"},
		{"NaN", "EUR", 0, "not a decimal amount"},
		{"10", "XAU", 0, "not an ISO 4217 currency"},
		{"10", "eur", 0, "not an ISO 4217 currency"},
	} {
		got, err := ParseAmount("amount", c.text, c.currency)
		switch {
		case c.problem == "" && (err != nil || got != c.want):
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d", c.text, c.currency, got, err, c.want)
		case c.problem != "" && (err == nil || !strings.Contains(err.Error(), c.problem)):
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want an error saying %q", c.text, c.currency, got, err, c.problem)
		case c.problem != "" && apierr.KindOf(err) != apierr.KindInvalidArgument:
			t.Errorf("ParseAmount(%q, %s): kind %v, want InvalidArgument", c.text, c.currency, apierr.KindOf(err))
		}
	}
}

func TestFormatAmount(t *testing.T) {
	for _, c := range []struct {
		minor    int64
		currency string
		want     string
	}{
		{1050, "EUR", "10.50"}, {1, "EUR", "0.01"}, {0, "EUR", "0.00"}, {-1050, "EUR", "-10.50"},
		{1500, "JPY", "1500"}, {1234, "KWD", "1.234"}, {1, "CLF", "0.0001"},
		{-9223372036854775808, "EUR", "-92233720368547758.08"},
	} {
		if got := FormatAmount(c.minor, c.currency); got != c.want {
			t.Errorf("FormatAmount(%d, %s) = %q, want %q", c.minor, c.currency, got, c.want)
		}
	}
}

func TestEveryCurrencyHasAScaleOfAtMostFour(t *testing.T) {
	if len(currencyScales) < 170 {
		t.Fatalf("only %d currencies: the ISO 4217 table is incomplete", len(currencyScales))
	}
	for code, s := range currencyScales {
		if len(code) != 3 || strings.ToUpper(code) != code || s < 0 || s > 4 {
			t.Errorf("%q: scale %d", code, s)
		}
	}
}

// FuzzParseAmount: whatever text a client sends, a parsed amount is positive and formats back to the same
// value (the parse is exact, never rounded).
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"10", "10.50", "0.001", "1e3", "-1", "999999999999999.9999", "1.", "00"} {
		f.Add(s, "EUR")
		f.Add(s, "KWD")
		f.Add(s, "JPY")
	}
	f.Fuzz(func(t *testing.T, text, currency string) {
		minor, err := ParseAmount("amount", text, currency)
		if err != nil {
			return
		}
		if minor <= 0 {
			t.Fatalf("%q %s parsed to %d", text, currency, minor)
		}
		back, err := ParseAmount("amount", FormatAmount(minor, currency), currency)
		if err != nil || back != minor {
			t.Fatalf("%q %s → %d → %q → %d, %v", text, currency, minor, FormatAmount(minor, currency), back, err)
		}
	})
}
