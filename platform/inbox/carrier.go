package inbox

import (
	"strings"

	"github.com/nats-io/nats.go"
)

// headerCarrier lets the OpenTelemetry propagator read NATS headers. NATS header names are case-sensitive;
// producers other than our outbox may capitalise Traceparent, so lookups fall back to a case-insensitive match.
type headerCarrier nats.Header

func (c headerCarrier) Get(key string) string {
	if v := nats.Header(c).Get(key); v != "" {
		return v
	}
	for k, v := range c {
		if strings.EqualFold(k, key) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func (c headerCarrier) Set(key, value string) { nats.Header(c).Set(key, value) }

func (c headerCarrier) Keys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	return keys
}
