package paymentsv1

// The events the Payments BB publishes — each also the NATS subject on stream GOVSTACK_PAYMENTS. Written by
// hand next to events.proto; the publisher (services/payments/internal/events) and consumers use these.
const (
	EventPaymentReserved  = "govstack.payments.v1.payment.reserved"
	EventPaymentSubmitted = "govstack.payments.v1.payment.submitted"
	EventPaymentSettled   = "govstack.payments.v1.payment.settled"
	EventPaymentFailed    = "govstack.payments.v1.payment.failed"
	EventPaymentReversed  = "govstack.payments.v1.payment.reversed"

	EventBatchReceived   = "govstack.payments.v1.batch.received"
	EventBatchValidated  = "govstack.payments.v1.batch.validated"
	EventBatchAuthorized = "govstack.payments.v1.batch.authorized"
	EventBatchRejected   = "govstack.payments.v1.batch.rejected"
	EventBatchCompleted  = "govstack.payments.v1.batch.completed"

	EventVoucherPreactivated = "govstack.payments.v1.voucher.preactivated"
	EventVoucherActivated    = "govstack.payments.v1.voucher.activated"
	EventVoucherSuspended    = "govstack.payments.v1.voucher.suspended"
	EventVoucherRedeemed     = "govstack.payments.v1.voucher.redeemed"
	EventVoucherCancelled    = "govstack.payments.v1.voucher.cancelled"
	EventVoucherExpired      = "govstack.payments.v1.voucher.expired"

	EventBillPaid = "govstack.payments.v1.bill.paid"
)

// Events are all of them.
var Events = []string{EventPaymentReserved, EventPaymentSubmitted, EventPaymentSettled, EventPaymentFailed,
	EventPaymentReversed, EventBatchReceived, EventBatchValidated, EventBatchAuthorized, EventBatchRejected,
	EventBatchCompleted, EventVoucherPreactivated, EventVoucherActivated, EventVoucherSuspended, EventVoucherRedeemed,
	EventVoucherCancelled, EventVoucherExpired, EventBillPaid}
