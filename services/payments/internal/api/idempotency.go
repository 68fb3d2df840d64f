package api

import (
	"context"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/idempotency"
	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/app"
)

// inProgress answers a retry of a method's request while the first is still running: the current state of
// what it is doing (ADR 0014, Mojaloop's rule).
type inProgress func(ctx context.Context, a *app.Service, actor app.Actor, req proto.Message) (proto.Message, error)

// keyedMethods are the calls that change something, each with its current-state answer; the idempotency key
// (X-CorrelationID, else Idempotency-Key) applies to them only, never to a read.
var keyedMethods = map[string]inProgress{
	paymentsv1.BulkPaymentService_BulkPayment_FullMethodName: func(ctx context.Context, a *app.Service, actor app.Actor, _ proto.Message) (proto.Message, error) {
		b, err := a.BatchInProgress(ctx, actor)
		return &paymentsv1.BulkPaymentResponse{BatchId: b.ID, Status: string(b.Status)}, err
	},
	paymentsv1.BulkPaymentService_AuthorizeFunds_FullMethodName: func(ctx context.Context, a *app.Service, actor app.Actor, req proto.Message) (proto.Message, error) {
		b, err := a.Batch(ctx, actor, req.(*paymentsv1.AuthorizeFundsRequest).GetBatchId())
		return authorizeAnswer(b), err
	},
	paymentsv1.BulkPaymentService_ValidateAccounts_FullMethodName: func(_ context.Context, _ *app.Service, _ app.Actor, req proto.Message) (proto.Message, error) {
		return &paymentsv1.ValidateAccountsResponse{BatchId: req.(*paymentsv1.ValidateAccountsRequest).GetBatchId(), Status: "PENDING"}, nil
	},
	paymentsv1.BulkPaymentService_ReversePayment_FullMethodName:        nil,
	paymentsv1.BeneficiaryService_RegisterBeneficiaries_FullMethodName: nil,
	paymentsv1.BeneficiaryService_UpdateBeneficiaries_FullMethodName:   nil,
	paymentsv1.LedgerService_FundAccount_FullMethodName:                nil,
	paymentsv1.VoucherService_VoucherCommand_FullMethodName:            nil,
	paymentsv1.VoucherService_UpdateVoucherStatus_FullMethodName:       nil,
	paymentsv1.BillPaymentService_PresentBill_FullMethodName:           nil,
	paymentsv1.BillPaymentService_BillTransfer_FullMethodName:          nil,
	paymentsv1.BillPaymentService_RequestToPay_FullMethodName:          nil,
	paymentsv1.BillPaymentService_RtpResponse_FullMethodName:           nil,
	paymentsv1.BillPaymentService_VoucherBillPayment_FullMethodName:    nil,
	paymentsv1.LegacyService_BulkPayment_FullMethodName:                nil,
	paymentsv1.LegacyService_PrepaymentValidation_FullMethodName:       nil,
	paymentsv1.LegacyService_RegisterBeneficiary_FullMethodName:        nil,
	paymentsv1.LegacyService_UpdateBeneficiaryDetails_FullMethodName:   nil,
	paymentsv1.LegacyService_VoucherPreactivation_FullMethodName:       nil,
	paymentsv1.LegacyService_VoucherActivation_FullMethodName:          nil,
	paymentsv1.LegacyService_VoucherRedemption_FullMethodName:          nil,
	paymentsv1.LegacyService_VoucherCancel_FullMethodName:              nil,
}

// Idempotency is the keeper of Payments' mutating calls (platform/idempotency with Payments' options): the
// key is X-CorrelationID (or X-Client-Correlation-ID, or Idempotency-Key), scoped to the tenant, the IM
// client and the signed-in person; a retry while the first runs gets 202 with the current state.
func Idempotency(a *app.Service) idempotency.Options {
	return idempotency.Options{
		Key: func(ctx context.Context, method string) (string, bool) {
			if _, keyed := keyedMethods[method]; !keyed {
				return "", false
			}
			k := first(ctx, mdCorrelationID, mdClientCorrelationID, idempotency.MetadataKey)
			return k, k != ""
		},
		Scope: func(ctx context.Context) string {
			actor, err := actorOf(ctx)
			if err != nil {
				return "anonymous"
			}
			scope := actor.Tenant + "|" + actor.Client
			if actor.User != nil {
				scope += "|" + actor.User.Subject
			}
			return scope
		},
		Redact: redactSecrets,
		InProgress: func(ctx context.Context, method string, req proto.Message) (proto.Message, error) {
			actor, err := actorOf(ctx)
			if err != nil {
				return nil, err
			}
			if f := keyedMethods[method]; f != nil {
				return f(ctx, a, actor, req)
			}
			e := apierr.New(apierr.KindAborted, "REQUEST_IN_PROGRESS", "the first request with this key is still being processed; retry shortly")
			e.RetryAfter = time.Second
			return nil, e
		},
	}
}

// redactSecrets keeps no voucher number with a kept answer: numbers are stored only as HMACs, so a replay of
// a voucher creation shows the vouchers' serial numbers and says their numbers were shown once.
func redactSecrets(_ string, resp proto.Message) proto.Message {
	if r, ok := resp.(*paymentsv1.LegacyServiceVoucherPreactivationResponse); ok {
		r.VoucherNumber = "shown only in the first answer"
	}
	if r, ok := resp.(*paymentsv1.VoucherCommandResponse); ok && len(r.GetVouchers()) > 0 {
		for _, v := range r.GetVouchers() {
			v.VoucherNumber = ""
		}
		r.ResponseDescription += "; voucher numbers are shown only in the first answer"
	}
	return resp
}
