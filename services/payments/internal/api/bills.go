package api

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/govstackbb/marketplace/platform/apierr"
	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// Bills implements BillPaymentService (P2G).
type Bills struct {
	paymentsv1.UnimplementedBillPaymentServiceServer
	app *app.Service
}

// NewBills returns the BillPaymentService on a.
func NewBills(a *app.Service) *Bills { return &Bills{app: a} }

// PresentBill keeps a biller's bill.
func (s *Bills) PresentBill(ctx context.Context, r *paymentsv1.PresentBillRequest) (*paymentsv1.PresentBillResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	d := r.GetBillDetails()
	sp := app.BillSpec{ID: r.GetBillId(), BillerID: firstNonEmpty(d.GetBillerId(), first(ctx, mdBiller)), BillerName: d.GetBillerName(),
		Currency: d.GetCurrency(), AmountOnDue: d.GetAmountOnDueDate(), AmountAfterDue: d.GetAmountAfterDueDate()}
	if d.GetDueDate() != nil {
		sp.DueDate = d.GetDueDate().AsTime()
	}
	if _, err := s.app.PresentBill(ctx, a, sp); err != nil {
		return nil, err
	}
	return &paymentsv1.PresentBillResponse{ResponseCode: "00", Reason: "bill kept", RequestId: r.GetRequestId()}, nil
}

// BillInquiry answers a payer FI's inquiry (202).
func (s *Bills) BillInquiry(ctx context.Context, r *paymentsv1.BillInquiryRequest) (*paymentsv1.BillInquiryResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.app.BillInquiry(ctx, a, r.GetBillId())
	if err != nil {
		return nil, err
	}
	setStatus(ctx, "202")
	out := billInquiry(b)
	out.RequestId = firstNonEmpty(r.GetRequestId(), a.CorrelationID)
	return out, nil
}

func billInquiry(b domain.Bill) *paymentsv1.BillInquiryResponse {
	f := func(v int64) string { return domain.FormatAmount(v, b.Currency) }
	d := &paymentsv1.BillDetails{BillerId: b.BillerID, BillerName: b.BillerName, BillStatus: b.Status,
		AmountOnDueDate: f(b.AmountOnDue), AmountAfterDueDate: f(b.AmountAfterDue), Currency: b.Currency}
	if !b.DueDate.IsZero() {
		d.DueDate = timestamppb.New(b.DueDate)
	}
	due := b.AmountDue(timestamppb.Now().AsTime())
	if b.Status == domain.BillPaid {
		due = 0
	}
	return &paymentsv1.BillInquiryResponse{ResponseCode: "00", Reason: "bill found", BillId: b.ID, BillDetails: d,
		AmountDue: f(due), PaymentReferenceId: b.PaymentRef}
}

// BillTransfer records a payer FI's payment of a bill, or the biller's ACK/RJC of it (202).
func (s *Bills) BillTransfer(ctx context.Context, r *paymentsv1.BillTransferRequest) (*paymentsv1.BillTransferResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	var b domain.Bill
	if r.GetStatus() != "" {
		b, err = s.app.AcknowledgeBillPaid(ctx, a, r.GetBillId(), r.GetStatus(), r.GetRejectReason())
	} else {
		if r.GetPaymentReferenceId() == "" {
			return nil, apierr.Invalid("PAYMENT_REFERENCE_REQUIRED", "paymentReferenceID is required",
				apierr.FieldViolation{Field: "paymentReferenceID", Description: "the payer FI's reference of the payment"})
		}
		b, err = s.app.PayBill(ctx, a, r.GetBillId(), first(ctx, mdPayerFI), r.GetPaymentReferenceId(), "transfer")
	}
	if err != nil {
		return nil, err
	}
	setStatus(ctx, "202")
	return &paymentsv1.BillTransferResponse{ResponseCode: "00", Reason: "accepted", RequestId: r.GetRequestId(), BillStatus: b.Status}, nil
}

// RequestToPay keeps a biller's request to pay.
func (s *Bills) RequestToPay(ctx context.Context, r *paymentsv1.RequestToPayRequest) (*paymentsv1.RequestToPayResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	rtp, err := s.app.RequestToPay(ctx, a, app.RTPSpec{ID: r.GetRtpId(), RequestID: r.GetRequestId(), BillID: r.GetBillId(),
		BillerID: first(ctx, mdBiller), PayerFI: r.GetPayerFiDetails().GetPayerFibic(), FinancialAddress: r.GetPayerFiDetails().GetFinancialAddress(),
		AliasType: r.GetAlias().GetAliasType(), AliasID: r.GetAlias().GetAliasId(), Amount: r.GetBillDetails().GetAmount()})
	if err != nil {
		return nil, err
	}
	return &paymentsv1.RequestToPayResponse{ResponseCode: "00", ResponseDescription: "RTP request acknowledged", RequestId: r.GetRequestId(),
		RequestStatus: rtp.Status}, nil
}

// RtpResponse records the payer FI's answer to an RTP.
func (s *Bills) RtpResponse(ctx context.Context, r *paymentsv1.RtpResponseRequest) (*paymentsv1.RtpResponseResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	switch r.GetRtpStatus() {
	case "00", "01":
	default:
		return nil, apierr.Invalid("INVALID_RTP_STATUS", "rtpStatus must be 00 (accepted) or 01 (rejected)",
			apierr.FieldViolation{Field: "rtpStatus", Description: "00 or 01"})
	}
	rtp, err := s.app.AnswerRTP(ctx, a, r.GetRtpId(), r.GetRtpStatus() == "00", r.GetRejectReason(), r.GetTxnId())
	if err != nil {
		return nil, err
	}
	return &paymentsv1.RtpResponseResponse{ResponseCode: "00", ResponseDescription: "RTP response acknowledged", RequestId: r.GetRequestId(),
		RequestStatus: rtp.Status}, nil
}

// GetRtpStatus answers a biller's RTP status inquiry.
func (s *Bills) GetRtpStatus(ctx context.Context, r *paymentsv1.GetRtpStatusRequest) (*paymentsv1.GetRtpStatusResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	rtp, err := s.app.RTP(ctx, a, r.GetTransferRequestId())
	if err != nil {
		return nil, err
	}
	return rtpStatus(rtp), nil
}

func rtpStatus(r domain.RTP) *paymentsv1.GetRtpStatusResponse {
	return &paymentsv1.GetRtpStatusResponse{RtpId: r.ID, RequestId: r.RequestID, RequestStatus: r.Status, PaymentReferenceId: r.PaymentRef,
		LastUpdateDate: timestamppb.New(r.UpdatedAt), BillId: r.BillID, RejectReason: r.RejectReason}
}

// VoucherBillPayment pays a bill with a voucher (202).
func (s *Bills) VoucherBillPayment(ctx context.Context, r *paymentsv1.VoucherBillPaymentRequest) (*paymentsv1.VoucherBillPaymentResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.app.PayBillWithVoucher(ctx, a, r.GetBillId(), r.GetVoucherSecretHash()); err != nil {
		return nil, err
	}
	setStatus(ctx, "202")
	return &paymentsv1.VoucherBillPaymentResponse{RequestId: r.GetRequestId(), Code: "00", Reason: "bill paid with the voucher"}, nil
}
