package main

import (
	"crypto/tls"
	"net/http"
)

// insecureLocalTransport skips certificate checks: the health check dials the portal's own listener on
// loopback, where the certificate names the public host, not 127.0.0.1.
func insecureLocalTransport() http.RoundTripper {
	return &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} //nolint:gosec // loopback probe of our own listener
}
