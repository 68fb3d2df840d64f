package domain

import "testing"

func TestWebmail(t *testing.T) {
	w := ShippedWebmail()
	for domain, want := range map[string]bool{
		"gmail.com": true, "GMAIL.COM": true, "gmx.de": true, "gmx.net": true, "outlook.co.uk": true,
		"proton.me": true, "mail.ee": true,
		"moj.gov.example": false, "gov.uk": false, "gmx.gov.example": false, "mail.gov.ee": false, "gmailx.com": false,
	} {
		if got := w.Contains(domain); got != want {
			t.Errorf("Contains(%q) = %v, want %v", domain, got, want)
		}
	}
	custom := ParseWebmail("# ours\nexample.org\nfreemail.*  # any TLD\n\n")
	if !custom.Contains("example.org") || !custom.Contains("freemail.hu") || custom.Contains("gmail.com") || custom.Len() != 2 {
		t.Errorf("custom list: %+v", custom)
	}
}
