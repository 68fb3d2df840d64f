package payments_test

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments"
)

// An X-Callback-URL naming a host the operator has not allowed is refused with InvalidArgument (400) naming
// the header, on every call that takes one; with no list, only loopback is allowed.
func TestCallbacksGoOnlyToAllowedHosts(t *testing.T) {
	for _, c := range []struct {
		name, hosts string
		allowed     []string
		refused     []string
	}{
		{"no list: loopback only", "", []string{"http://127.0.0.1:9/cb", "http://localhost/cb", "http://[::1]:80/cb"},
			[]string{"http://10.0.0.5/cb", "http://metadata.google.internal/", "http://erp.ministry.example/cb"}},
		{"a list", "erp.ministry.example, hooks.example:8443", []string{"https://erp.ministry.example/cb", "https://hooks.example:8443/x"},
			[]string{"http://127.0.0.1:9/cb", "https://hooks.example/x", "http://user@erp.ministry.example/cb", "http://169.254.169.254/"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := start(t, func(cfg *payments.Config) { cfg.CallbackHosts = c.hosts })
			try := func(url string, n int) error {
				_, err := e.bulk.BulkPayment(call(treasury, "x-correlationid", fmt.Sprintf("cb-%d", n), "x-callback-url", url),
					&paymentsv1.BulkPaymentRequest{Type: "raw", Instructions: []*paymentsv1.CreditInstruction{
						instruction(strings.Repeat("x", n)+"1", "msisdn", "372550001", "1.00")}})
				return err
			}
			for i, u := range c.allowed {
				if err := try(u, i+1); err != nil {
					t.Errorf("%s refused: %v", u, err)
				}
			}
			for i, u := range c.refused {
				err := try(u, 10+i)
				if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "X-Callback-URL") {
					t.Errorf("%s: %v, want InvalidArgument naming X-Callback-URL", u, err)
				}
			}
			// The voucher and bill paths take the header too: one check covers them.
			_, err := e.vouch.VoucherCommand(call(treasury, "x-callback-url", "http://10.1.2.3/", "x-program-id", "p"),
				&paymentsv1.VoucherCommandRequest{})
			if c.hosts == "" && status.Code(err) != codes.InvalidArgument {
				t.Errorf("voucher command with a refused callback host: %v", err)
			}
		})
	}
}
