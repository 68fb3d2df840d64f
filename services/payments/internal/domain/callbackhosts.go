package domain

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// CallbackHosts are the hosts an X-Callback-URL may name (GOVSTACK_PAYMENTS_CALLBACK_HOSTS). Callbacks are
// requests this BB makes on a caller's word, so without a list anyone could make it call any address inside
// the network (SSRF): an operator names the receivers. An empty list allows loopback only — the receiver
// on a developer's machine — which is the safe default: nothing inside a deployment is reachable by it.
type CallbackHosts struct {
	hosts map[string]bool // "host" (any port) or "host:port", lower case
}

// ParseCallbackHosts reads a comma-separated list of host or host:port entries (no scheme, no path).
func ParseCallbackHosts(list string) (CallbackHosts, error) {
	h := CallbackHosts{hosts: map[string]bool{}}
	for _, e := range strings.Split(list, ",") {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "" {
			continue
		}
		host := e
		if hp, port, err := net.SplitHostPort(e); err == nil {
			if port == "" || strings.Trim(port, "0123456789") != "" {
				return CallbackHosts{}, fmt.Errorf("%q: the port must be a number", e)
			}
			host = hp
		}
		if host == "" || strings.ContainsAny(host, "/@?#* ") {
			return CallbackHosts{}, fmt.Errorf("%q: each entry is a host or host:port, e.g. erp.ministry.example:8443", e)
		}
		h.hosts[e] = true
	}
	return h, nil
}

// Allows reports whether a callback may be posted to rawURL.
func (h CallbackHosts) Allows(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || u.User != nil {
		return false
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if len(h.hosts) == 0 {
		return loopback(host)
	}
	return h.hosts[host] || h.hosts[net.JoinHostPort(host, port)]
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckCallback refuses an X-Callback-URL that is not an absolute http(s) URL or names a host not allowed.
func (h CallbackHosts) CheckCallback(raw string) error {
	if err := CheckCallbackURL(raw); err != nil {
		return err
	}
	if !h.Allows(raw) {
		msg := "X-Callback-URL names a host this Payments BB may not call back"
		what := "must name a host of GOVSTACK_PAYMENTS_CALLBACK_HOSTS"
		if len(h.hosts) == 0 {
			what = "must name a loopback host (localhost, 127.0.0.1, ::1) until the operator allows others in GOVSTACK_PAYMENTS_CALLBACK_HOSTS"
		}
		return apierr.Invalid("CALLBACK_HOST_NOT_ALLOWED", msg+" ("+clip(raw)+"): it "+what,
			apierr.FieldViolation{Field: "X-Callback-URL", Description: what})
	}
	return nil
}
