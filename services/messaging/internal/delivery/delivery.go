// Package delivery talks to the outside world: SMTP for e-mail (github.com/wneessen/go-mail), an HTTP SMS
// provider, and the requesters' callback URIs. It implements the app's Sender and ReportPoster ports; every
// send failure comes back classified as domain.Permanent or domain.Temporary.
package delivery
