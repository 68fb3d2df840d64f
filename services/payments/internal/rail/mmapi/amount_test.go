package mmapi

import (
	"errors"
	"testing"
)

func TestFormatAmountUsesTheCurrencysMinorUnit(t *testing.T) {
	cases := []struct {
		minor    int64
		currency string
		want     string
	}{
		{12345, "KES", "123.45"},
		{5, "KES", "0.05"},
		{100, "KES", "1.00"},
		{150, "JPY", "150"},
		{150, "UGX", "150"},
		{1500, "BHD", "1.500"},
		{1, "BHD", "0.001"},
		{12345, "CLF", "1.2345"},
		{9223372036854775807, "USD", "92233720368547758.07"},
	}
	for _, c := range cases {
		got, err := FormatAmount(c.minor, c.currency)
		if err != nil || got != c.want {
			t.Errorf("FormatAmount(%d, %s) = %q, %v; want %q", c.minor, c.currency, got, err, c.want)
		}
		back, err := ParseAmount(got, c.currency)
		if err != nil || back != c.minor {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d", got, c.currency, back, err, c.minor)
		}
	}
}

func TestFormatAmountRefusesWhatIsNotAPayment(t *testing.T) {
	for _, c := range []struct {
		minor    int64
		currency string
		want     error
	}{
		{0, "KES", ErrAmount}, {-5, "KES", ErrAmount}, {5, "kes", ErrCurrency}, {5, "XAU", ErrCurrency}, {5, "", ErrCurrency},
	} {
		if _, err := FormatAmount(c.minor, c.currency); !errors.Is(err, c.want) {
			t.Errorf("FormatAmount(%d, %q) = %v, want %v", c.minor, c.currency, err, c.want)
		}
	}
}

func TestParseAmountNeverRounds(t *testing.T) {
	ok := map[string]int64{"150.5": 15050, "0150.50": 15050, "7": 700, "0.01": 1}
	for s, want := range ok {
		if got, err := ParseAmount(s, "KES"); err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", ".5", "5.", "1.234", "-1.00", "+1", "1e3", " 1", "1,00", "0", "0.00",
		"92233720368547758.08", "NaN", "１"} {
		if got, err := ParseAmount(s, "KES"); !errors.Is(err, ErrAmount) {
			t.Errorf("ParseAmount(%q) = %d, %v; want ErrAmount", s, got, err)
		}
	}
	if _, err := ParseAmount("1.5", "JPY"); !errors.Is(err, ErrAmount) {
		t.Errorf("1.5 JPY accepted: %v", err)
	}
}

func TestEveryCurrencyIsListedOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, codes := range minorUnits {
		for _, c := range codes {
			if seen[c] || len(c) != 3 {
				t.Errorf("%q listed twice or not three letters", c)
			}
			seen[c] = true
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1.00", "0.5", "92233720368547758.07", "1e3", "-0"} {
		f.Add(s, "KES")
	}
	f.Add("150", "JPY")
	f.Add("1.500", "BHD")
	f.Fuzz(func(t *testing.T, s, currency string) {
		v, err := ParseAmount(s, currency)
		if err != nil {
			return
		}
		if v <= 0 {
			t.Fatalf("ParseAmount(%q) = %d", s, v)
		}
		back, err := FormatAmount(v, currency)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := ParseAmount(back, currency); err != nil || again != v {
			t.Fatalf("%q → %d → %q → %d, %v", s, v, back, again, err)
		}
	})
}

func TestValidCorrelationID(t *testing.T) {
	for id, want := range map[string]bool{
		"0b9f3c1e-7a2d-4c8e-9f10-2a3b4c5d6e7f": true, "pay:batch-1.7_x": true,
		"": false, "a b": false, "a/b": false, "é": false, string(make([]byte, 129)): false,
	} {
		if got := ValidCorrelationID(id); got != want {
			t.Errorf("ValidCorrelationID(%q) = %v", id, got)
		}
	}
}
