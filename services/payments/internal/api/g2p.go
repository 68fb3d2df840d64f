package api

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"

	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// BulkPayments implements BulkPaymentService.
type BulkPayments struct {
	paymentsv1.UnimplementedBulkPaymentServiceServer
	app *app.Service
}

// NewBulkPayments returns the BulkPaymentService on a.
func NewBulkPayments(a *app.Service) *BulkPayments { return &BulkPayments{app: a} }

// BulkPayment hands a batch over.
func (s *BulkPayments) BulkPayment(ctx context.Context, r *paymentsv1.BulkPaymentRequest) (*paymentsv1.BulkPaymentResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	items := make([]domain.InstructionInput, len(r.GetInstructions()))
	for i, in := range r.GetInstructions() {
		items[i] = instructionInput(in)
	}
	b, err := s.app.SubmitBatch(ctx, a, app.BatchHandOver{Instructions: items, ProgramID: first(ctx, mdProgram),
		Institution: first(ctx, mdInstitution)})
	if err != nil {
		return nil, err
	}
	setStatus(ctx, "202")
	return &paymentsv1.BulkPaymentResponse{BatchId: b.ID, Status: string(b.Status)}, nil
}

func instructionInput(in *paymentsv1.CreditInstruction) domain.InstructionInput {
	return domain.InstructionInput{ID: in.GetRequestId(), PaymentMode: in.GetPaymentMode(), Amount: in.GetAmount(),
		Currency: in.GetCurrency(), Narration: in.GetDescriptionText(), Credit: parties(in.GetCreditParty()),
		Debit: parties(in.GetDebitParty()), References: in.GetReferences()}
}

func parties(ps []*paymentsv1.Party) map[string]string {
	out := make(map[string]string, len(ps))
	for _, p := range ps {
		out[p.GetKey()] = p.GetValue()
	}
	return out
}

// GetBatchSummary polls a batch's status.
func (s *BulkPayments) GetBatchSummary(ctx context.Context, r *paymentsv1.GetBatchSummaryRequest) (*paymentsv1.GetBatchSummaryResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.app.Batch(ctx, a, r.GetBatchId())
	if err != nil {
		return nil, err
	}
	return batchSummary(b), nil
}

// CountBatches counts the caller's tenant's batches by status, in lifecycle order.
func (s *BulkPayments) CountBatches(ctx context.Context, _ *paymentsv1.CountBatchesRequest) (*paymentsv1.CountBatchesResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := s.app.CountBatches(ctx, a)
	if err != nil {
		return nil, err
	}
	out := &paymentsv1.CountBatchesResponse{}
	for _, st := range app.BatchStatuses {
		if n := counts[st]; n > 0 {
			out.Statuses = append(out.Statuses, &paymentsv1.BatchStatusCount{Status: string(st), Batches: int32(n)})
		}
	}
	return out, nil
}

func batchSummary(b domain.Batch) *paymentsv1.GetBatchSummaryResponse {
	st, f := b.Stats, func(v int64) string { return domain.FormatAmount(v, b.Currency) }
	if b.Status == domain.BatchRejected { // nothing of a refused batch is paid, or still to be
		st.Failed, st.FailedAmount, st.Valid, st.Received = st.Failed+st.Valid+st.Received, st.TotalAmount-st.InvalidAmount, 0, 0
	}
	out := &paymentsv1.GetBatchSummaryResponse{RequestId: b.CorrelationID, BatchId: b.ID, TotalTransactions: int32(st.Total),
		Ongoing: int32(st.Ongoing + st.Valid + st.Received), Failed: int32(st.Failed + st.Invalid), Completed: int32(st.Completed),
		TotalAmount: f(st.TotalAmount), CompletedAmount: f(st.CompletedAmount),
		OngoingAmount: f(st.TotalAmount - st.CompletedAmount - st.FailedAmount - st.InvalidAmount),
		FailedAmount:  f(st.FailedAmount + st.InvalidAmount), ResultGeneratedAt: timestamppb.Now(),
		Note: note(b), Status: string(b.Status), Currency: b.Currency, Approvals: int32(len(b.Approvals)),
		ApprovalsRequired: int32(b.ApprovalsRequired), Rejected: int32(st.Invalid)}
	return out
}

func note(b domain.Batch) string {
	switch b.Status {
	case domain.BatchRejected:
		return "authorisation refused: " + b.AuthReason
	case domain.BatchAwaitingApproval:
		return "awaiting a second approver"
	}
	return ""
}

// GetBatchDetails pages through a batch's instructions.
func (s *BulkPayments) GetBatchDetails(ctx context.Context, r *paymentsv1.GetBatchDetailsRequest) (*paymentsv1.GetBatchDetailsResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	b, ins, err := s.app.BatchDetails(ctx, a, r.GetBatchId(), app.DetailsQuery{Status: r.GetStatus(), Page: int(r.GetPageNo()),
		PageSize: int(r.GetPageSize()), CorrelationID: r.GetXCorrelationId()})
	if err != nil {
		return nil, err
	}
	out := &paymentsv1.GetBatchDetailsResponse{Transfers: make([]*paymentsv1.BatchTransfer, 0, len(ins))}
	for _, in := range ins {
		out.Transfers = append(out.Transfers, batchTransfer(b, in))
	}
	return out, nil
}

func batchTransfer(b domain.Batch, in domain.Instruction) *paymentsv1.BatchTransfer {
	t := &paymentsv1.BatchTransfer{WorkflowInstanceKey: in.RailRef, TransactionId: in.ID, Status: string(in.Status),
		StatusDetail: in.Reason, PayeeDfspId: in.Payee.Account.FSP, PayeePartyId: payeeParty(in),
		PayeePartyIdType: payeePartyType(in), PayerPartyId: b.Payer, PayerPartyIdType: "payerIdentifier",
		Amount: domain.FormatAmount(in.Amount, in.Currency), Currency: in.Currency, Direction: "OUTGOING",
		BatchId: in.BatchID, References: in.References, PayeeFeeCurrency: in.Currency, PayerFeeCurrency: in.Currency,
		PayeeFee: domain.FormatAmount(0, in.Currency), PayerFee: domain.FormatAmount(0, in.Currency)}
	if !in.SubmittedAt.IsZero() {
		t.StartedAt = timestamppb.New(in.SubmittedAt)
	}
	if !in.CompletedAt.IsZero() {
		t.CompletedAt = timestamppb.New(in.CompletedAt)
	}
	if in.Status == domain.InstructionFailed || in.Status == domain.InstructionInvalid {
		t.ErrorInformation = in.Reason
	}
	return t
}

func payeeParty(in domain.Instruction) string {
	if in.Payee.Identity != "" {
		return in.Payee.Identity
	}
	return in.Payee.Account.FinancialAddress
}

func payeePartyType(in domain.Instruction) string {
	if in.Payee.Identity != "" {
		return "functionalId"
	}
	return map[string]string{domain.ModalityBank: "accountNumber", domain.ModalityMobileMoney: "msisdn"}[in.Payee.Account.Modality]
}

// AuthorizeFunds records an approval and, when enough, reserves the batch's funds.
func (s *BulkPayments) AuthorizeFunds(ctx context.Context, r *paymentsv1.AuthorizeFundsRequest) (*paymentsv1.AuthorizeFundsResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.app.AuthorizeFunds(ctx, a, app.Authorization{BatchID: r.GetBatchId(), Payer: r.GetPayerIdentifier(),
		Currency: r.GetCurrency(), Amount: r.GetAmount()})
	if err != nil {
		return nil, err
	}
	setStatus(ctx, "202")
	return authorizeAnswer(b), nil
}

func authorizeAnswer(b domain.Batch) *paymentsv1.AuthorizeFundsResponse {
	msg := "Authorization is in process."
	switch b.Authorized {
	case "Y":
		msg = "Authorization granted: funds reserved."
	case "N":
		msg = "Authorization refused."
	}
	return &paymentsv1.AuthorizeFundsResponse{Message: msg, Authorized: b.Authorized, Reason: firstNonEmpty(b.AuthReason, note(b)),
		Status: string(b.Status)}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// GetAuthorization polls a batch's authorisation.
func (s *BulkPayments) GetAuthorization(ctx context.Context, r *paymentsv1.GetAuthorizationRequest) (*paymentsv1.GetAuthorizationResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	b, err := s.app.Batch(ctx, a, r.GetBatchId())
	if err != nil {
		return nil, err
	}
	return authorizationResult(b), nil
}

func authorizationResult(b domain.Batch) *paymentsv1.GetAuthorizationResponse {
	return &paymentsv1.GetAuthorizationResponse{ClientCorrelationId: firstNonEmpty(b.AuthCorrelationID, b.CorrelationID),
		Status: b.Authorized, Reason: firstNonEmpty(b.AuthReason, note(b))}
}

// ValidateAccounts stores a validation job.
func (s *BulkPayments) ValidateAccounts(ctx context.Context, r *paymentsv1.ValidateAccountsRequest) (*paymentsv1.ValidateAccountsResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	items := make([]domain.ValidationItem, len(r.GetCreditInstructions()))
	for i, in := range r.GetCreditInstructions() {
		items[i] = domain.ValidationItem{InstructionID: in.GetInstructionId(), Account: domain.RailAccount{
			Modality: in.GetPaymentModality(), FinancialAddress: in.GetFinancialAddress(), FSP: r.GetDestinationDfspid()}}
	}
	v, err := s.app.ValidateAccounts(ctx, a, r.GetBatchId(), items)
	if err != nil {
		return nil, err
	}
	setStatus(ctx, "202")
	return &paymentsv1.ValidateAccountsResponse{BatchId: v.ID, Status: "PENDING"}, nil
}

// GetValidation polls a validation.
func (s *BulkPayments) GetValidation(ctx context.Context, r *paymentsv1.GetValidationRequest) (*paymentsv1.GetValidationResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.app.Validation(ctx, a, r.GetBatchId())
	if err != nil {
		return nil, err
	}
	return validationResult(v), nil
}

func validationResult(v domain.Validation) *paymentsv1.GetValidationResponse {
	out := &paymentsv1.GetValidationResponse{ClientCorrelationId: v.CorrelationID, BatchId: v.ID,
		Status: map[bool]string{true: "DONE", false: "PENDING"}[v.Done]}
	for _, it := range v.Items {
		if it.Status == string(domain.InstructionInvalid) {
			out.FailedAccountLookups = append(out.FailedAccountLookups, &paymentsv1.FailedLookup{InstructionId: it.InstructionID, FailureReason: it.Reason})
		}
	}
	out.NumberOfFailedCases = int32(len(out.FailedAccountLookups))
	return out
}

// ReversePayment gives a settled payment back.
func (s *BulkPayments) ReversePayment(ctx context.Context, r *paymentsv1.ReversePaymentRequest) (*paymentsv1.ReversePaymentResponse, error) {
	a, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	in, err := s.app.ReversePayment(ctx, a, r.GetInstructionId(), r.GetReason())
	if err != nil {
		return nil, err
	}
	b, err := s.app.Batch(ctx, a, in.BatchID)
	if err != nil {
		return nil, err
	}
	return &paymentsv1.ReversePaymentResponse{Payment: batchTransfer(b, in)}, nil
}
