package payments_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"

	"github.com/govstackbb/marketplace/platform/testkit"
	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"
)

const (
	biller  = "EE/GOV/70000002/land-registry"
	payerFI = "EE/COM/10000001/bank"
)

func (e *env) presentBill(id, amount string) {
	e.t.Helper()
	if _, err := e.bills.PresentBill(call(biller, "x-callback-url", e.callbacks.URL+"/biller"), &paymentsv1.PresentBillRequest{
		BillId: id, BillDetails: &paymentsv1.BillDetails{BillerId: "LR", BillerName: "Land", AmountOnDueDate: amount, Currency: "KES"}}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) payBill(id, ref string) (*paymentsv1.BillTransferResponse, error) {
	return e.bills.BillTransfer(call(payerFI, "x-payerfi-id", "BANK1", "x-correlationid", ref),
		&paymentsv1.BillTransferRequest{RequestId: ref, BillId: id, PaymentReferenceId: ref})
}

func TestABillIsInquiredPaidOnceAndTheBillerTold(t *testing.T) {
	e := start(t, nil)
	e.presentBill("B-1", "1500")
	var hdr metadata.MD
	inq, err := e.bills.BillInquiry(call(payerFI, "x-correlationid", "inq-1"), &paymentsv1.BillInquiryRequest{BillId: "B-1", Fields: "inquiry"},
		grpc.Header(&hdr))
	if err != nil || inq.GetAmountDue() != "1500.00" || inq.GetBillDetails().GetBillStatus() != "UNPAID" || hdr.Get("x-http-code")[0] != "202" {
		t.Fatalf("inquiry: %v, %v, %v", inq, err, hdr)
	}
	r, err := e.payBill("B-1", "PAY-1")
	if err != nil || r.GetBillStatus() != "PAID" {
		t.Fatalf("payment: %v, %v", r, err)
	}
	// Another payment of the same bill, under another key, is refused; the ledger holds one.
	_, err = e.payBill("B-1", "PAY-2")
	testkit.WantReason(t, err, codes.FailedPrecondition, "BILL_ALREADY_PAID")
	if a := e.kesAccountOf(biller, "biller:LR"); a.GetCreditsPosted() != "1500.00" {
		t.Fatalf("biller account: %v", a)
	}
	e.work()
	got := e.callbacks.got("/biller")
	if len(got) != 1 || !strings.Contains(string(got[0]), `"PaymentReferenceID":"PAY-1"`) || !strings.Contains(string(got[0]), `"billStatus":"PAID"`) {
		t.Fatalf("mark bill paid: %q", got)
	}
	if _, err := e.bills.BillTransfer(call(biller), &paymentsv1.BillTransferRequest{BillId: "B-1", Status: "ACK"}); err != nil {
		t.Fatalf("biller's ACK: %v", err)
	}
	var events int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE type = $1`, paymentsv1.EventBillPaid).Scan(&events); err != nil || events != 1 {
		t.Fatalf("%d bill.paid events (%v)", events, err)
	}
}

func TestTwoPayerFIsPayingOneBillAtOncePayOnce(t *testing.T) {
	e := start(t, nil)
	e.presentBill("B-2", "99")
	var paid atomic.Int64
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			if _, err := e.payBill("B-2", "REF-"+string(rune('a'+i))); err == nil {
				paid.Add(1)
			}
		})
	}
	wg.Wait()
	if paid.Load() != 1 {
		t.Fatalf("%d payments accepted, want 1", paid.Load())
	}
	if a := e.kesAccountOf(biller, "biller:LR"); a.GetCreditsPosted() != "99.00" {
		t.Fatalf("biller account: %v", a)
	}
}

func TestRequestToPayAcceptedPaysTheBill(t *testing.T) {
	e := start(t, nil)
	e.presentBill("B-3", "250")
	e.presentBill("B-4", "10")
	for _, rtp := range []struct{ id, bill string }{{"RTP-1", "B-3"}, {"RTP-2", "B-4"}} {
		r, err := e.bills.RequestToPay(call(biller, "x-billerid", "LR", "x-callback-url", e.callbacks.URL+"/rtp"), &paymentsv1.RequestToPayRequest{
			RequestId: "rq", RtpId: rtp.id, BillId: rtp.bill, RequestType: "00",
			PayerFiDetails: &paymentsv1.RtpPayerFi{PayerFibic: "BANK1", FinancialAddress: "EE001"}})
		if err != nil || r.GetRequestStatus() != "PND" {
			t.Fatalf("rtp: %v, %v", r, err)
		}
	}
	_, err := e.bills.RequestToPay(call(biller), &paymentsv1.RequestToPayRequest{RtpId: "RTP-X", BillId: "B-3",
		BillDetails: &paymentsv1.RtpBill{Amount: "200"}})
	testkit.WantReason(t, err, codes.InvalidArgument, "AMOUNT_MISMATCH")
	ok, err := e.bills.RtpResponse(call(payerFI), &paymentsv1.RtpResponseRequest{RtpId: "RTP-1", TxnId: "T-9", RtpStatus: "00"})
	if err != nil || ok.GetRequestStatus() != "COM" {
		t.Fatalf("accept: %v, %v", ok, err)
	}
	no, err := e.bills.RtpResponse(call(payerFI), &paymentsv1.RtpResponseRequest{RtpId: "RTP-2", RtpStatus: "01", RejectReason: "R"})
	if err != nil || no.GetRequestStatus() != "RJC" {
		t.Fatalf("reject: %v, %v", no, err)
	}
	st, err := e.bills.GetRtpStatus(call(biller), &paymentsv1.GetRtpStatusRequest{TransferRequestId: "RTP-1"})
	if err != nil || st.GetRequestStatus() != "COM" || st.GetPaymentReferenceId() != "T-9" {
		t.Fatalf("status: %v, %v", st, err)
	}
	inq, _ := e.bills.BillInquiry(call(payerFI), &paymentsv1.BillInquiryRequest{BillId: "B-3"})
	if inq.GetBillDetails().GetBillStatus() != "PAID" {
		t.Fatalf("bill after the RTP: %v", inq)
	}
	e.work()
	if got := e.callbacks.got("/rtp"); len(got) != 2 {
		t.Fatalf("rtp updates: %q", got)
	}
}

func TestABillPaidWithAVoucher(t *testing.T) {
	e := start(t, nil)
	e.fundBudget("seeds", "100")
	v := e.vouchers("bill-v", "40").GetVouchers()[0]
	e.activate(v.GetSerialNumber())
	e.presentBill("B-5", "40")
	if _, err := e.bills.VoucherBillPayment(call(payerFI), &paymentsv1.VoucherBillPaymentRequest{BillId: "B-5",
		VoucherSecretHash: v.GetVoucherNumber()}); err != nil {
		t.Fatal(err)
	}
	if a := e.kesAccount("merchant:biller:LR"); a.GetCreditsPosted() != "40.00" {
		t.Fatalf("the biller was not credited by the voucher: %v", a)
	}
	inq, _ := e.bills.BillInquiry(call(payerFI), &paymentsv1.BillInquiryRequest{BillId: "B-5"})
	if inq.GetBillDetails().GetBillStatus() != "PAID" {
		t.Fatalf("bill: %v", inq)
	}
}
