package domain

import (
	"fmt"
	"net/url"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// CallbackKind says what a callback reports; its body is rendered, when it is sent, by the same code as the
// GET that polls the same thing ("every callback has a poll twin").
type CallbackKind string

const (
	CallbackBatch         CallbackKind = "batch"         // BulkPaymentStatusUpdate: the batch's summary
	CallbackAuthorization CallbackKind = "authorization" // GetAuthorizationResponse
	CallbackValidation    CallbackKind = "validation"    // BulkValidateAccountResponse
	CallbackMapper        CallbackKind = "mapper"        // RegisterBeneficiaryResponse / UpdateBeneficiaryResponse
	CallbackVoucher       CallbackKind = "voucher"       // voucher status after activate, cancel
	CallbackBill          CallbackKind = "bill"          // bill inquiry response, mark bill paid: the bill
	CallbackRTP           CallbackKind = "rtp"           // rtpUpdate: the request to pay's status
)

// Callback is one push to a caller's X-Callback-URL.
type Callback struct {
	ID, Tenant, URL string
	Kind            CallbackKind
	Subject         string // what it is about: a batch id, a request id
	Attempts        int
	NextAttemptAt   time.Time
	CreatedAt       time.Time
}

// CheckCallbackURL accepts an absolute http or https URL (the X-Callback-URL header).
func CheckCallbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return apierr.Invalid("INVALID_CALLBACK_URL", fmt.Sprintf("X-Callback-URL %q is not an absolute http(s) URL", clip(raw)),
			apierr.FieldViolation{Field: "X-Callback-URL", Description: "must be an absolute http or https URL"})
	}
	return nil
}

// CallbackBackoff is how long to wait before attempt n+1 of a callback: 1 s doubling, at most 10 minutes.
func CallbackBackoff(attempts int) time.Duration {
	d := time.Second
	for i := 1; i < attempts && d < 10*time.Minute; i++ {
		d *= 2
	}
	return min(d, 10*time.Minute)
}

// AuditEntry is one line of the audit log: who (IM client, person), when, did what to which object. Details
// never hold a voucher number or a financial secret.
type AuditEntry struct {
	At                    time.Time
	Tenant, Client, Actor string
	Action, Object        string
	Details               map[string]any
}
