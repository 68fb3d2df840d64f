package rest

import "strings"

// specHeaders are request headers a BB's GovStack specification defines, forwarded to the BB as gRPC
// metadata (their spelling variants onto one key, as the identity headers are). Payments' spec scopes data
// by tenant and institution, correlates requests (X-CorrelationID is its idempotency key, ADR 0014) and
// names where results are pushed; it spells several of them more than one way.
var specHeaders = []struct{ name, key string }{
	{"X-CorrelationID", "x-correlationid"},
	{"X-Client-Correlation-ID", "x-client-correlation-id"},
	{"Platform-TenantId", "platform-tenantid"},
	{"X-Platform-TenantId", "platform-tenantid"},
	{"X-Callback-URL", "x-callback-url"},
	{"X-Callback_URL", "x-callback-url"},
	{"X-Registering-Institution-ID", "x-registering-institution-id"},
	{"registeringInstitutionId", "x-registering-institution-id"},
	{"X-Program-Id", "x-program-id"},
	{"X-PayerFI-Id", "x-payerfi-id"},
	{"PayerFI-Id", "x-payerfi-id"},
	{"X-billerId", "x-billerid"},
}

// specHeaderKey is the metadata key of a spec header, if key is one.
func specHeaderKey(key string) (string, bool) {
	for _, h := range specHeaders {
		if strings.EqualFold(h.name, key) {
			return h.key, true
		}
	}
	return "", false
}

// specCheckedHeaders bounds the spec headers like the others (checkedHeaders): a callback URL may be long,
// the ids are short.
func specCheckedHeaders() []checkedHeader {
	out := make([]checkedHeader, 0, len(specHeaders))
	for _, h := range specHeaders {
		max := 255
		if h.key == "x-callback-url" {
			max = 2048
		}
		out = append(out, checkedHeader{h.name, max})
	}
	return out
}
