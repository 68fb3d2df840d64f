package api

import (
	"context"
	"strings"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/govstackbb/marketplace/platform/apierr"
	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// Vouchers implements VoucherService.
type Vouchers struct {
	paymentsv1.UnimplementedVoucherServiceServer
	app *app.Service
}

// NewVouchers returns the VoucherService on a.
func NewVouchers(a *app.Service) *Vouchers { return &Vouchers{app: a} }

// VoucherCommand creates, cancels or redeems vouchers.
func (s *Vouchers) VoucherCommand(ctx context.Context, r *paymentsv1.VoucherCommandRequest) (*paymentsv1.VoucherCommandResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	b := r.GetBody()
	switch cmd := strings.ToLower(r.GetCommand()); {
	case cmd == "redeem" || cmd == "cancel" && b.GetVoucherSecretNumber() != "":
		return s.redeem(ctx, a, b)
	case cmd == "cancel":
		failed, err := s.app.ChangeVouchers(ctx, a, "cancel", serials(b.GetVoucherInstructions()))
		if err != nil {
			return nil, err
		}
		return &paymentsv1.VoucherCommandResponse{ResponseCode: code(failed), ResponseDescription: describe(failed, "cancelled"),
			RequestId: b.GetRequestId(), FailedCases: voucherFailures(failed)}, nil
	case cmd == "" || cmd == "create":
		return s.create(ctx, a, b)
	default:
		return nil, apierr.Invalid("INVALID_COMMAND", "command "+r.GetCommand()+": use cancel or redeem, or none to create vouchers",
			apierr.FieldViolation{Field: "command", Description: "cancel, redeem, or none"})
	}
}

func (s *Vouchers) create(ctx context.Context, a app.Actor, b *paymentsv1.VoucherCommandBody) (*paymentsv1.VoucherCommandResponse, error) {
	specs := make([]app.VoucherSpec, len(b.GetVoucherInstructions()))
	for i, in := range b.GetVoucherInstructions() {
		specs[i] = app.VoucherSpec{InstructionID: in.GetInstructionId(), GroupCode: in.GetGroupCode(), Currency: in.GetCurrency(),
			Amount: in.GetAmount(), PayeeIdentity: in.GetPayeeFunctionalId(), Narration: in.GetNarration()}
	}
	made, err := s.app.CreateVouchers(ctx, a, first(ctx, mdProgram), specs)
	if err != nil {
		return nil, err
	}
	out := &paymentsv1.VoucherCommandResponse{ResponseCode: "00", ResponseDescription: "Vouchers created", RequestId: b.GetRequestId()}
	for _, v := range made {
		out.Vouchers = append(out.Vouchers, &paymentsv1.CreatedVoucher{InstructionId: v.InstructionID, SerialNumber: v.Serial,
			VoucherNumber: v.Number, Currency: v.Currency, Amount: domain.FormatAmount(v.Amount, v.Currency), Narration: v.Narration,
			ExpiresAt: timestamppb.New(v.ExpiresAt)})
	}
	return out, nil
}

func (s *Vouchers) redeem(ctx context.Context, a app.Actor, b *paymentsv1.VoucherCommandBody) (*paymentsv1.VoucherCommandResponse, error) {
	v, err := s.app.RedeemVoucher(ctx, a, app.Redemption{Serial: b.GetVoucherSerialNumber(), Number: b.GetVoucherSecretNumber(), Agent: b.GetAgentId()})
	if err != nil {
		return nil, err
	}
	return &paymentsv1.VoucherCommandResponse{ResponseCode: "00", RequestId: b.GetRequestId(), Status: 1, Message: "Voucher redeemed",
		SerialNumber: v.Serial, Value: domain.FormatAmount(v.Amount, v.Currency), Timestamp: timestamppb.New(v.RedeemedAt),
		TransactionId: v.RedemptionID}, nil
}

// UpdateVoucherStatus activates or suspends vouchers.
func (s *Vouchers) UpdateVoucherStatus(ctx context.Context, r *paymentsv1.UpdateVoucherStatusRequest) (*paymentsv1.UpdateVoucherStatusResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	cmd := strings.ToLower(r.GetCommand())
	if cmd != "activate" && cmd != "suspend" {
		return nil, apierr.Invalid("INVALID_COMMAND", "command "+r.GetCommand()+": use activate or suspend",
			apierr.FieldViolation{Field: "command", Description: "activate or suspend"})
	}
	failed, err := s.app.ChangeVouchers(ctx, a, cmd, serials(r.GetBody().GetVoucherInstructions()))
	if err != nil {
		return nil, err
	}
	return &paymentsv1.UpdateVoucherStatusResponse{ResponseCode: code(failed), ResponseDescription: describe(failed, cmd+"d"),
		RequestId: r.GetBody().GetRequestId(), FailedCases: voucherFailures(failed)}, nil
}

// GetVoucherStatus reads a voucher's status.
func (s *Vouchers) GetVoucherStatus(ctx context.Context, r *paymentsv1.GetVoucherStatusRequest) (*paymentsv1.GetVoucherStatusResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.app.Voucher(ctx, a, r.GetSerialNumber())
	if err != nil {
		return nil, err
	}
	return &paymentsv1.GetVoucherStatusResponse{Status: v.Status.Code(), SerialNumber: v.Serial, Value: domain.FormatAmount(v.Amount, v.Currency),
		State: string(v.Status), Currency: v.Currency, ExpiresAt: timestamppb.New(v.ExpiresAt)}, nil
}

func serials(ins []*paymentsv1.VoucherInstruction) []string {
	out := make([]string, 0, len(ins))
	for _, in := range ins {
		out = append(out, in.GetSerialNumber())
	}
	return out
}

func code(failed []app.VoucherFailure) string {
	if len(failed) > 0 {
		return "01"
	}
	return "00"
}

func describe(failed []app.VoucherFailure, done string) string {
	if len(failed) > 0 {
		return "some vouchers could not be " + done + ": see failedCases"
	}
	return "Vouchers " + done
}

func voucherFailures(failed []app.VoucherFailure) []*paymentsv1.VoucherFailure {
	out := make([]*paymentsv1.VoucherFailure, 0, len(failed))
	for _, f := range failed {
		out = append(out, &paymentsv1.VoucherFailure{SerialNumber: f.Serial, FailureReason: f.Reason})
	}
	return out
}
