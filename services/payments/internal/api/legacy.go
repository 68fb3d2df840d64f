package api

import (
	"context"
	"time"

	"google.golang.org/grpc"

	"github.com/govstackbb/marketplace/platform/apierr"
	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// legacyOp is one GovStack Payments 1.0 operation: the path older clients call, the 3.0 use case it maps
// onto, and the status its 1.0 file gives each refusal (by the refusal's reason).
type legacyOp struct {
	path, mapsOnto string
	statuses       map[string]int
}

// legacyTable is the one table of 1.0 operations (ADR 0014): LegacyService's handlers call the use cases
// it names, and LegacyStatuses answers their refusals with its statuses. The older spelling
// /vouchers/voucher_redeemption is in the gateway's alias table, which rewrites it to the path below.
var legacyTable = map[string]legacyOp{
	paymentsv1.LegacyService_BulkPayment_FullMethodName: {"POST /bulk-payment", "BulkPaymentService.BulkPayment", nil},
	paymentsv1.LegacyService_PrepaymentValidation_FullMethodName: {"POST /prepayment-validation",
		"BulkPaymentService.ValidateAccounts", nil},
	paymentsv1.LegacyService_RegisterBeneficiary_FullMethodName: {"POST /register-beneficiary",
		"BeneficiaryService.RegisterBeneficiaries", nil},
	paymentsv1.LegacyService_UpdateBeneficiaryDetails_FullMethodName: {"POST /update-beneficiary-details",
		"BeneficiaryService.UpdateBeneficiaries", nil},
	paymentsv1.LegacyService_VoucherPreactivation_FullMethodName: {"POST /vouchers/voucher_preactivation", "VoucherService.VoucherCommand (create)",
		map[string]int{domain.ReasonInvalidAmount: 452, domain.ReasonInvalidCurrency: 453, domain.ReasonInvalidVoucherGrp: 454,
			domain.ReasonBudgetExhausted: 455, reasonNoBB: 460}},
	paymentsv1.LegacyService_VoucherActivation_FullMethodName: {"PATCH /vouchers/voucher_activation", "VoucherService.UpdateVoucherStatus (activate)",
		map[string]int{domain.ReasonVoucherNotFound: 456, domain.ReasonVoucherState: 456, reasonNoBB: 460}},
	paymentsv1.LegacyService_VoucherRedemption_FullMethodName: {"POST /vouchers/voucher_redemption", "VoucherService.VoucherCommand (redeem)",
		map[string]int{domain.ReasonVoucherNumber: 461, domain.ReasonInsufficientFunds: 462, "INVALID_REDEMPTION": 463, reasonNoBB: 460}},
	paymentsv1.LegacyService_VoucherStatusCheck_FullMethodName: {"GET /vouchers/voucherstatuscheck/{voucherserialnumber}",
		"VoucherService.GetVoucherStatus", map[string]int{domain.ReasonVoucherNotFound: 456, domain.ReasonVoucherUsed: 458,
			domain.ReasonVoucherExpired: 459}},
	paymentsv1.LegacyService_VoucherCancel_FullMethodName: {"PATCH /vouchers/voucherstatuscheck/{voucherserialnumber}",
		"VoucherService.VoucherCommand (cancel)", map[string]int{domain.ReasonVoucherNotFound: 463, domain.ReasonVoucherState: 463,
			domain.ReasonVoucherUsed: 463, domain.ReasonVoucherExpired: 463, domain.ReasonVoucherCancelled: 464, reasonNoBB: 460}},
}

// reasonNoBB is the refusal of a 1.0 voucher call that names no calling building block (Gov_Stack_BB).
const reasonNoBB = "GOVSTACK_BB_REQUIRED"

// LegacyStatuses gives a 1.0 operation's refusals the status its file prescribes (apierr.Error.HTTPStatus,
// which the gateway answers with). Mount it inside the error interceptor, which turns errors into statuses.
func LegacyStatuses() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		resp, err := h(ctx, req)
		op, ok := legacyTable[info.FullMethod]
		if e, isAPI := apierr.As(err); ok && isAPI && op.statuses[e.Reason] != 0 && e.HTTPStatus == 0 {
			c := *e
			c.HTTPStatus = op.statuses[e.Reason]
			return resp, &c
		}
		return resp, err
	}
}

// Legacy implements LegacyService.
type Legacy struct {
	paymentsv1.UnimplementedLegacyServiceServer
	app *app.Service
}

// NewLegacy returns the LegacyService on a.
func NewLegacy(a *app.Service) *Legacy { return &Legacy{app: a} }

// BulkPayment is 1.0's POST /bulk-payment.
func (s *Legacy) BulkPayment(ctx context.Context, r *paymentsv1.LegacyServiceBulkPaymentRequest) (*paymentsv1.LegacyServiceBulkPaymentResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	a.CorrelationID = firstNonEmpty(a.CorrelationID, r.GetRequestId())
	items := make([]domain.InstructionInput, len(r.GetCreditInstructions()))
	for i, in := range r.GetCreditInstructions() {
		items[i] = domain.InstructionInput{ID: in.GetInstructionId(), Amount: in.GetAmount(), Currency: in.GetCurrency(),
			Narration: in.GetNarration(), Credit: map[string]string{"functionalId": in.GetPayeeFunctionalId()}}
	}
	if _, err := s.app.SubmitBatch(ctx, a, app.BatchHandOver{Instructions: items, Institution: r.GetSourceBbId()}); err != nil {
		return nil, err
	}
	return &paymentsv1.LegacyServiceBulkPaymentResponse{ResponseCode: "00", ResponseDescription: "Request successfully received",
		RequestId: r.GetRequestId()}, nil
}

// PrepaymentValidation is 1.0's POST /prepayment-validation.
func (s *Legacy) PrepaymentValidation(ctx context.Context, r *paymentsv1.LegacyServicePrepaymentValidationRequest) (*paymentsv1.LegacyServicePrepaymentValidationResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	var ids, payees []string
	for _, in := range r.GetCreditInstructions() {
		ids, payees = append(ids, in.GetInstructionId()), append(payees, in.GetPayeeFunctionalId())
	}
	if _, err := s.app.ValidatePayees(ctx, a, firstNonEmpty(r.GetBatchId(), r.GetRequestId()), ids, payees); err != nil {
		return nil, err
	}
	return &paymentsv1.LegacyServicePrepaymentValidationResponse{ResponseCode: "00", ResponseDescription: "Validation request received",
		RequestId: r.GetRequestId()}, nil
}

// RegisterBeneficiary is 1.0's POST /register-beneficiary.
func (s *Legacy) RegisterBeneficiary(ctx context.Context, r *paymentsv1.LegacyServiceRegisterBeneficiaryRequest) (*paymentsv1.LegacyServiceRegisterBeneficiaryResponse, error) {
	if err := s.mapper(ctx, r.GetRequestId(), r.GetSourceBbId(), r.GetBeneficiaries(), true); err != nil {
		return nil, err
	}
	return &paymentsv1.LegacyServiceRegisterBeneficiaryResponse{ResponseCode: "00", ResponseDescription: mapperReceived,
		RequestId: r.GetRequestId()}, nil
}

const mapperReceived = "Request successfully received by IM BB"

// UpdateBeneficiaryDetails is 1.0's POST /update-beneficiary-details.
func (s *Legacy) UpdateBeneficiaryDetails(ctx context.Context, r *paymentsv1.LegacyServiceUpdateBeneficiaryDetailsRequest) (*paymentsv1.LegacyServiceUpdateBeneficiaryDetailsResponse, error) {
	if err := s.mapper(ctx, r.GetRequestId(), r.GetSourceBbId(), r.GetBeneficiaries(), false); err != nil {
		return nil, err
	}
	return &paymentsv1.LegacyServiceUpdateBeneficiaryDetailsResponse{ResponseCode: "00", ResponseDescription: mapperReceived,
		RequestId: r.GetRequestId()}, nil
}

func (s *Legacy) mapper(ctx context.Context, requestID, source string, bs []*paymentsv1.LegacyBeneficiary, register bool) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	changes := make([]app.MapperChange, len(bs))
	for i, b := range bs {
		changes[i] = app.MapperChange{Identity: b.GetPayeeFunctionalId(), Account: domain.RailAccount{Modality: b.GetPaymentModality(),
			FinancialAddress: b.GetFinancialAddress()}}
	}
	institution := firstNonEmpty(first(ctx, mdInstitution), source)
	if register {
		_, err = s.app.RegisterBeneficiaries(ctx, a, requestID, institution, changes)
	} else {
		_, err = s.app.UpdateBeneficiaries(ctx, a, requestID, institution, changes)
	}
	return err
}

func requireBB(bb string) error {
	if bb == "" {
		return apierr.Invalid(reasonNoBB, "Gov_Stack_BB names no building block: say which GovStack building block calls",
			apierr.FieldViolation{Field: "Gov_Stack_BB", Description: "is required"})
	}
	return nil
}

// VoucherPreactivation is 1.0's POST /vouchers/voucher_preactivation.
func (s *Legacy) VoucherPreactivation(ctx context.Context, r *paymentsv1.LegacyServiceVoucherPreactivationRequest) (*paymentsv1.LegacyServiceVoucherPreactivationResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireBB(r.GetGovStackBb()); err != nil {
		return nil, err
	}
	if r.GetVoucherGroup() == "" {
		return nil, apierr.Invalid(domain.ReasonInvalidVoucherGrp, "voucher_group is required: the program whose budget funds the voucher",
			apierr.FieldViolation{Field: "voucher_group", Description: "is required"})
	}
	made, err := s.app.CreateVouchers(ctx, a, r.GetVoucherGroup(), []app.VoucherSpec{{GroupCode: r.GetVoucherGroup(),
		Currency: r.GetVoucherCurrency(), Amount: r.GetVoucherAmount(), Narration: r.GetVoucherComment()}})
	if err != nil {
		return nil, err
	}
	return &paymentsv1.LegacyServiceVoucherPreactivationResponse{VoucherNumber: made[0].Number, VoucherSerialNumber: made[0].Serial,
		ExpiryDateTime: made[0].ExpiresAt.UTC().Format(time.RFC3339)}, nil
}

// VoucherActivation is 1.0's PATCH /vouchers/voucher_activation.
func (s *Legacy) VoucherActivation(ctx context.Context, r *paymentsv1.LegacyServiceVoucherActivationRequest) (*paymentsv1.LegacyServiceVoucherActivationResponse, error) {
	if err := s.change(ctx, r.GetGovStackBb(), "activate", r.GetVoucherSerialNumber()); err != nil {
		return nil, err
	}
	return &paymentsv1.LegacyServiceVoucherActivationResponse{ResultStatus: "Activated"}, nil
}

// change applies one voucher change and turns its failure into the refusal the table gives a status.
func (s *Legacy) change(ctx context.Context, bb, command, serial string) error {
	a, err := actorOf(ctx)
	if err != nil {
		return err
	}
	if err := requireBB(bb); err != nil {
		return err
	}
	failed, err := s.app.ChangeVouchers(ctx, a, command, []string{serial})
	if err != nil || len(failed) == 0 {
		return err
	}
	kind := apierr.KindFailedPrecondition
	if failed[0].Code == domain.ReasonVoucherNotFound {
		kind = apierr.KindNotFound
	}
	return apierr.New(kind, failed[0].Code, failed[0].Reason)
}

// VoucherRedemption is 1.0's POST /vouchers/voucher_redemption: the voucher is found by its number.
func (s *Legacy) VoucherRedemption(ctx context.Context, r *paymentsv1.LegacyServiceVoucherRedemptionRequest) (*paymentsv1.LegacyServiceVoucherRedemptionResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireBB(r.GetGovStackBb()); err != nil {
		return nil, err
	}
	if r.GetMerchantName() == "" {
		return nil, apierr.Invalid("INVALID_REDEMPTION", "merchant_name is required: the merchant credited",
			apierr.FieldViolation{Field: "merchant_name", Description: "is required"})
	}
	if _, err := s.app.RedeemVoucher(ctx, a, app.Redemption{Number: r.GetVoucherNumber(), Agent: r.GetMerchantName()}); err != nil {
		return nil, err
	}
	return &paymentsv1.LegacyServiceVoucherRedemptionResponse{ResultStatus: "Redeemed"}, nil
}

// VoucherStatusCheck is 1.0's GET /vouchers/voucherstatuscheck/{serial}: a used or expired voucher is
// answered with 458 or 459, as the file prescribes.
func (s *Legacy) VoucherStatusCheck(ctx context.Context, r *paymentsv1.LegacyServiceVoucherStatusCheckRequest) (*paymentsv1.LegacyServiceVoucherStatusCheckResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.app.Voucher(ctx, a, r.GetVoucherserialnumber())
	if err != nil {
		return nil, err
	}
	switch v.Status {
	case domain.VoucherRedeemed:
		return nil, apierr.FailedPrecondition(domain.ReasonVoucherUsed, "voucher "+v.Serial+" was already used")
	case domain.VoucherExpired:
		return nil, apierr.FailedPrecondition(domain.ReasonVoucherExpired, "voucher "+v.Serial+" has expired")
	}
	words := map[domain.VoucherStatus]string{domain.VoucherPreActivated: "Preactivated", domain.VoucherActive: "Activated",
		domain.VoucherSuspended: "Suspended", domain.VoucherCancelled: "Cancelled"}
	return &paymentsv1.LegacyServiceVoucherStatusCheckResponse{VoucherStatus: words[v.Status], VoucherAmount: domain.FormatAmount(v.Amount, v.Currency)}, nil
}

// VoucherCancel is 1.0's PATCH /vouchers/voucherstatuscheck/{serial}.
func (s *Legacy) VoucherCancel(ctx context.Context, r *paymentsv1.LegacyServiceVoucherCancelRequest) (*paymentsv1.LegacyServiceVoucherCancelResponse, error) {
	if err := s.change(ctx, r.GetGovStackBb(), "cancel", r.GetVoucherserialnumber()); err != nil {
		return nil, err
	}
	return &paymentsv1.LegacyServiceVoucherCancelResponse{Message: "Voucher cancelled"}, nil
}
