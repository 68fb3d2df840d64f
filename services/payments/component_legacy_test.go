package payments_test

import (
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"
)

// legacyStatus is the HTTP status a refusal carries for the gateway (the 1.0 file's 452–464), "" for none.
func legacyStatus(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		t.Fatal("accepted; want a refusal")
	}
	for _, d := range status.Convert(err).Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info.GetMetadata()["httpStatus"]
		}
	}
	return ""
}

func TestTheOneDotZeroVoucherPathsAnswerWithTheirStatuses(t *testing.T) {
	e := start(t, nil)
	lg := paymentsv1.NewLegacyServiceClient(e.conn)
	e.fundBudget("FRT", "100")
	pre := func(amount, currency, group, bb string) (*paymentsv1.LegacyServiceVoucherPreactivationResponse, error) {
		return lg.VoucherPreactivation(call(treasury), &paymentsv1.LegacyServiceVoucherPreactivationRequest{VoucherAmount: amount,
			VoucherCurrency: currency, VoucherGroup: group, GovStackBb: bb})
	}
	for _, c := range []struct{ amount, currency, group, bb, want string }{
		{"15.215", "KES", "FRT", "registration", "452"},
		{"15", "XYZ", "FRT", "registration", "453"},
		{"15", "KES", "", "registration", "454"},
		{"500", "KES", "FRT", "registration", "455"},
		{"15", "KES", "FRT", "", "460"},
	} {
		_, err := pre(c.amount, c.currency, c.group, c.bb)
		if got := legacyStatus(t, err); got != c.want {
			t.Errorf("preactivation %+v: status %q (%v), want %s", c, got, err, c.want)
		}
	}
	v, err := pre("15.21", "KES", "FRT", "registration")
	if err != nil || len(v.GetVoucherNumber()) != 16 || v.GetVoucherSerialNumber() == "" {
		t.Fatalf("preactivation: %v, %v", v, err)
	}
	_, err = lg.VoucherActivation(call(treasury), &paymentsv1.LegacyServiceVoucherActivationRequest{VoucherSerialNumber: "nope", GovStackBb: "r"})
	if got := legacyStatus(t, err); got != "456" {
		t.Errorf("activation of an unknown serial: %q", got)
	}
	if _, err := lg.VoucherActivation(call(treasury), &paymentsv1.LegacyServiceVoucherActivationRequest{
		VoucherSerialNumber: v.GetVoucherSerialNumber(), GovStackBb: "r"}); err != nil {
		t.Fatal(err)
	}
	st, err := lg.VoucherStatusCheck(call(treasury), &paymentsv1.LegacyServiceVoucherStatusCheckRequest{Voucherserialnumber: v.GetVoucherSerialNumber()})
	if err != nil || st.GetVoucherStatus() != "Activated" || st.GetVoucherAmount() != "15.21" {
		t.Fatalf("status: %v, %v", st, err)
	}
	_, err = lg.VoucherRedemption(call(treasury), &paymentsv1.LegacyServiceVoucherRedemptionRequest{VoucherNumber: "1234567890123456",
		GovStackBb: "r", MerchantName: "shop"})
	if got := legacyStatus(t, err); got != "461" {
		t.Errorf("redemption of a wrong number: %q", got)
	}
	if _, err := lg.VoucherRedemption(call(treasury), &paymentsv1.LegacyServiceVoucherRedemptionRequest{VoucherNumber: v.GetVoucherNumber(),
		GovStackBb: "r", MerchantName: "shop"}); err != nil {
		t.Fatal(err)
	}
	_, err = lg.VoucherStatusCheck(call(treasury), &paymentsv1.LegacyServiceVoucherStatusCheckRequest{Voucherserialnumber: v.GetVoucherSerialNumber()})
	if got := legacyStatus(t, err); got != "458" {
		t.Errorf("status of a used voucher: %q", got)
	}
	_, err = lg.VoucherCancel(call(treasury), &paymentsv1.LegacyServiceVoucherCancelRequest{Voucherserialnumber: v.GetVoucherSerialNumber(), GovStackBb: "r"})
	if got := legacyStatus(t, err); got != "463" {
		t.Errorf("cancel of a used voucher: %q", got)
	}
	w, _ := pre("1", "KES", "FRT", "registration")
	if _, err := lg.VoucherCancel(call(treasury), &paymentsv1.LegacyServiceVoucherCancelRequest{Voucherserialnumber: w.GetVoucherSerialNumber(), GovStackBb: "r"}); err != nil {
		t.Fatal(err)
	}
	_, err = lg.VoucherCancel(call(treasury), &paymentsv1.LegacyServiceVoucherCancelRequest{Voucherserialnumber: w.GetVoucherSerialNumber(), GovStackBb: "r"})
	if got := legacyStatus(t, err); got != "464" {
		t.Errorf("cancel twice: %q", got)
	}
}

// The 1.0 bulk payment, beneficiary registration and prepayment validation reach the 3.0 use cases.
func TestTheOneDotZeroBatchPathsUseTheSameUseCases(t *testing.T) {
	e := start(t, nil)
	lg := paymentsv1.NewLegacyServiceClient(e.conn)
	if _, err := lg.RegisterBeneficiary(call(treasury), &paymentsv1.LegacyServiceRegisterBeneficiaryRequest{RequestId: "R1", SourceBbId: "ministry",
		Beneficiaries: []*paymentsv1.LegacyBeneficiary{{PayeeFunctionalId: "P1", PaymentModality: "01", FinancialAddress: "3725"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := lg.UpdateBeneficiaryDetails(call(treasury), &paymentsv1.LegacyServiceUpdateBeneficiaryDetailsRequest{RequestId: "R2", SourceBbId: "ministry",
		Beneficiaries: []*paymentsv1.LegacyBeneficiary{{PayeeFunctionalId: "P1", FinancialAddress: "3726"}}}); err != nil {
		t.Fatal(err)
	}
	look, err := e.mapper.LookupBeneficiary(call(treasury), &paymentsv1.LookupBeneficiaryRequest{PayeeIdentity: "P1"})
	if err != nil || len(look.GetPaymentModalityList()) != 1 || look.GetPaymentModalityList()[0].GetFinancialAddress() != "3726" {
		t.Fatalf("look-up after the 1.0 update: %v, %v", look, err)
	}
	batch := &paymentsv1.LegacyServiceBulkPaymentRequest{RequestId: "BR1", SourceBbId: "ministry", BatchId: "B1",
		CreditInstructions: []*paymentsv1.LegacyCreditInstruction{{InstructionId: "L1", PayeeFunctionalId: "P1", Amount: "12.5", Currency: "EUR"},
			{InstructionId: "L2", PayeeFunctionalId: "UNKNOWN", Amount: "1", Currency: "EUR"}}}
	if r, err := lg.BulkPayment(call(treasury), batch); err != nil || r.GetResponseCode() != "00" {
		t.Fatalf("1.0 bulk payment: %v, %v", r, err)
	}
	// A 1.0 client sends no X-CorrelationID: its RequestID is the idempotency key. The same request again is
	// answered as the first (no second batch); a changed body under that RequestID is refused.
	if r, err := lg.BulkPayment(call(treasury), batch); err != nil || r.GetResponseCode() != "00" {
		t.Fatalf("1.0 bulk payment again: %v, %v", r, err)
	}
	changed := proto.Clone(batch).(*paymentsv1.LegacyServiceBulkPaymentRequest)
	changed.CreditInstructions[0].Amount = "125"
	if _, err := lg.BulkPayment(call(treasury), changed); status.Code(err) != codes.AlreadyExists || !strings.Contains(err.Error(), "different request") {
		t.Fatalf("a changed 1.0 batch under the same RequestID: %v, want refused (409)", err)
	}
	var batches int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM batch WHERE correlation_id = 'BR1'`).Scan(&batches); err != nil || batches != 1 {
		t.Fatalf("%d batches under RequestID BR1 (%v), want 1", batches, err)
	}
	e.work()
	var status string
	if err := e.pool.QueryRow(t.Context(), `SELECT status FROM batch WHERE correlation_id = 'BR1'`).Scan(&status); err != nil || status != "VALIDATED" {
		t.Fatalf("the 1.0 batch: %s, %v", status, err)
	}
	if _, err := lg.PrepaymentValidation(call(treasury), &paymentsv1.LegacyServicePrepaymentValidationRequest{RequestId: "V1", BatchId: "PV1",
		CreditInstructions: batch.CreditInstructions}); err != nil {
		t.Fatal(err)
	}
	e.work()
	v, err := e.bulk.GetValidation(call(treasury), &paymentsv1.GetValidationRequest{BatchId: "PV1"})
	if err != nil || v.GetStatus() != "DONE" || v.GetNumberOfFailedCases() != 1 || v.GetFailedAccountLookups()[0].GetInstructionId() != "L2" {
		t.Fatalf("prepayment validation: %v, %v", v, err)
	}
}
