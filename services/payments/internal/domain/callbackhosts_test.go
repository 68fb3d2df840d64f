package domain

import "testing"

func TestCallbackHosts(t *testing.T) {
	for _, bad := range []string{"https://erp.example", "erp.example/path", "erp.example:http", "user@erp.example", "*.example", ":8443"} {
		if _, err := ParseCallbackHosts(bad); err == nil {
			t.Errorf("%q accepted as a host list", bad)
		}
	}
	h, err := ParseCallbackHosts(" ERP.example , hooks.example:8443,[::1]:9000 ")
	if err != nil {
		t.Fatal(err)
	}
	for url, want := range map[string]bool{
		"https://erp.example/cb":         true,
		"http://erp.example:81/cb":       true, // a host without a port: any port
		"https://Erp.Example/cb":         true,
		"https://hooks.example:8443/x":   true,
		"https://hooks.example/x":        false, // 443, not 8443
		"http://[::1]:9000/":             true,
		"http://127.0.0.1/":              false, // a list replaces the loopback default
		"http://u:p@erp.example/":        false,
		"http://erp.example.attacker.io": false,
		"not a url":                      false,
	} {
		if h.Allows(url) != want {
			t.Errorf("Allows(%q) = %v, want %v", url, !want, want)
		}
	}
	none, _ := ParseCallbackHosts("")
	for url, want := range map[string]bool{"http://localhost:8080/": true, "http://127.0.0.2/": true, "http://[::1]/": true,
		"http://10.0.0.1/": false, "http://169.254.169.254/latest": false, "http://localhost.attacker.io/": false} {
		if none.Allows(url) != want {
			t.Errorf("no list: Allows(%q) = %v, want %v", url, !want, want)
		}
	}
	if err := none.CheckCallback("http://10.0.0.1/"); err == nil {
		t.Error("CheckCallback accepted a host not allowed")
	}
}
