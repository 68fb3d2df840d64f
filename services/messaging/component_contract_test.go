package messaging_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/grpcerr"
	"github.com/govstackbb/marketplace/platform/testkit"
	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
)

// specStatus is the HTTP status err's ErrorInfo prescribes (metadata httpStatus; the gateway answers with
// it), or "" when it carries none and the gRPC code decides.
func specStatus(t *testing.T, err error) string {
	t.Helper()
	st, _ := status.FromError(err)
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info.GetMetadata()[grpcerr.HTTPStatusKey]
		}
	}
	t.Fatalf("%v carries no ErrorInfo", err)
	return ""
}

// TestInvalidInputIsTheSpecs405: GovStack's Messaging OpenAPI answers a request it cannot accept with 405
// "Invalid input". Every validation error of the GovStack operations (and of their SMS twins) carries it;
// the refusals that are not about the input keep their own status: no or a wrong apiKey 401, an unknown
// requestUid 404, a requestUid reused for the other channel 409. The operator extensions keep the usual 400.
func TestInvalidInputIsTheSpecs405(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	ctx := authed()
	cb := func(uri string) *messagingv1.CallbackSender { return &messagingv1.CallbackSender{Uri: uri} }
	invalid := map[string]func() error{
		"SendEmailSingle without a subject": func() error {
			_, err := e.msg.SendEmailSingle(ctx, single("a@example.org", ""))
			return err
		},
		"SendEmailSingle with two callbacks": func() error {
			r := single("a@example.org", "x")
			r.Callback, r.CallbackUri = cb("https://a.example.org/cb"), cb("https://b.example.org/cb")
			_, err := e.msg.SendEmailSingle(ctx, r)
			return err
		},
		"SendEmailSingle to a Cc that is not an address": func() error {
			r := single("a@example.org", "x")
			r.RecipientInfo.EmailCc = "not an address"
			_, err := e.msg.SendEmailSingle(ctx, r)
			if st, _ := status.FromError(err); !strings.Contains(st.Message(), "recipientInfo.emailCC") {
				t.Errorf("the field is not named: %v", err)
			}
			return err
		},
		"SendEmailBatch with bad base64": func() error {
			_, err := e.msg.SendEmailBatch(ctx, &messagingv1.SendEmailBatchRequest{
				RecipientInfo: &messagingv1.BatchRecipientInfo{BatchEmailAsBase64: "%%%"}, EmailContent: content("x")})
			return err
		},
		"SendEmailBatch with a relative callbackURI": func() error {
			_, err := e.msg.SendEmailBatch(ctx, &messagingv1.SendEmailBatchRequest{CallbackUri: cb("/cb"),
				Recipients: []*messagingv1.RecipientInfo{{Email: "a@example.org"}}, EmailContent: content("x")})
			if st, _ := status.FromError(err); !strings.Contains(st.Message(), "callbackURI.URI") {
				t.Errorf("the spelling sent is not named: %v", err)
			}
			return err
		},
		"SendEmailBatch whose base64 holds a number for an address": func() error {
			_, err := e.msg.SendEmailBatch(ctx, &messagingv1.SendEmailBatchRequest{EmailContent: content("x"),
				RecipientInfo: &messagingv1.BatchRecipientInfo{BatchEmailAsBase64: base64.StdEncoding.EncodeToString([]byte(`[{"recipientInfo":{"email":5}}]`))}})
			if st, _ := status.FromError(err); !strings.Contains(st.Message(), "recipientInfo.email of an entry is a JSON number") ||
				strings.Contains(st.Message(), "json:") || strings.Contains(st.Message(), "Go ") {
				t.Errorf("the message does not say what is wrong in the request's words: %v", err)
			}
			return err
		},
		"CallbackEmail without requestUid": func() error {
			_, err := e.msg.CallbackEmail(ctx, &messagingv1.CallbackEmailRequest{Meta: "m"})
			return err
		},
		"GetEmailStatus with an unknown status": func() error {
			_, err := e.msg.GetEmailStatus(ctx, &messagingv1.GetEmailStatusRequest{RequestUid: "x", Status: []string{"lost"}})
			return err
		},
		"SendSmsSingle to a number that is not E.164": func() error {
			_, err := e.msg.SendSmsSingle(ctx, &messagingv1.SendSmsSingleRequest{
				RecipientInfo: &messagingv1.SmsRecipientInfo{Phone: "12345"}, SmsContent: &messagingv1.SmsContent{Text: "x"}})
			return err
		},
		"SendSmsBatch with two callbacks": func() error {
			_, err := e.msg.SendSmsBatch(ctx, &messagingv1.SendSmsBatchRequest{Callback: cb("https://a.example.org/cb"),
				CallbackUri: cb("https://b.example.org/cb"), Recipients: []*messagingv1.SmsRecipientInfo{{Phone: "+3725551234"}},
				SmsContent: &messagingv1.SmsContent{Text: "x"}})
			return err
		},
		"CallbackSms without requestUid": func() error {
			_, err := e.msg.CallbackSms(ctx, &messagingv1.CallbackSmsRequest{})
			return err
		},
		"GetSmsStatus without requestUid": func() error {
			_, err := e.msg.GetSmsStatus(ctx, &messagingv1.GetSmsStatusRequest{})
			return err
		},
	}
	for name, call := range invalid {
		err := call()
		if status.Code(err) != codes.InvalidArgument {
			t.Fatalf("%s: want InvalidArgument, got %v", name, err)
		}
		if got := specStatus(t, err); got != "405" {
			t.Errorf("%s: httpStatus %q, want 405 (%v)", name, got, err)
		}
	}

	sent, err := e.msg.SendEmailSingle(ctx, single("kept@example.org", "Kept"))
	if err != nil {
		t.Fatal(err)
	}
	others := map[string]struct {
		code codes.Code
		call func() error
	}{
		"no apiKey": {codes.Unauthenticated, func() error {
			_, err := e.msg.GetEmailStatus(context.Background(), &messagingv1.GetEmailStatusRequest{RequestUid: "x"})
			return err
		}},
		"an unknown requestUid": {codes.NotFound, func() error {
			_, err := e.msg.GetEmailStatus(ctx, &messagingv1.GetEmailStatusRequest{RequestUid: "nobody-sent-this"})
			return err
		}},
		"a callback for an unknown requestUid": {codes.NotFound, func() error {
			_, err := e.msg.CallbackEmail(ctx, &messagingv1.CallbackEmailRequest{RequestUid: "nobody-sent-this"})
			return err
		}},
		"a requestUid reused for SMS": {codes.AlreadyExists, func() error {
			_, err := e.msg.SendSmsSingle(ctx, &messagingv1.SendSmsSingleRequest{RequestUid: sent.GetRequestUid(),
				RecipientInfo: &messagingv1.SmsRecipientInfo{Phone: "+3725551234"}, SmsContent: &messagingv1.SmsContent{Text: "x"}})
			return err
		}},
		"an operator extension's bad input": {codes.InvalidArgument, func() error {
			_, err := e.op.CreateTemplateVersion(ctx, &messagingv1.CreateTemplateVersionRequest{Name: "broken",
				Channel: messagingv1.Channel_CHANNEL_EMAIL, TextBody: "{{.a"})
			return err
		}},
	}
	for name, c := range others {
		err := c.call()
		testkit.WantCode(t, err, c.code)
		if c.code == codes.Unauthenticated {
			continue // refused by the key check, which carries no ErrorInfo
		}
		if got := specStatus(t, err); got != "" {
			t.Errorf("%s: httpStatus %q, want none (%v)", name, got, err)
		}
	}
}

// TestAPIKeyBeforeTheRequest: a gRPC caller without an apiKey is told so, whatever its request holds — the
// key is checked before the request is validated, on every call of both services.
func TestAPIKeyBeforeTheRequest(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	ctx := context.Background()
	bad := "%%%"
	calls := map[string]func() error{
		"SendEmailSingle": func() error { _, err := e.msg.SendEmailSingle(ctx, single("not an address", "")); return err },
		"SendEmailBatch": func() error {
			_, err := e.msg.SendEmailBatch(ctx, &messagingv1.SendEmailBatchRequest{RecipientInfo: &messagingv1.BatchRecipientInfo{BatchEmailAsBase64: bad}})
			return err
		},
		"CallbackEmail": func() error { _, err := e.msg.CallbackEmail(ctx, &messagingv1.CallbackEmailRequest{}); return err },
		"GetEmailStatus": func() error {
			_, err := e.msg.GetEmailStatus(ctx, &messagingv1.GetEmailStatusRequest{Status: []string{bad}})
			return err
		},
		"SendSmsSingle": func() error { _, err := e.msg.SendSmsSingle(ctx, &messagingv1.SendSmsSingleRequest{}); return err },
		"SendSmsBatch": func() error {
			_, err := e.msg.SendSmsBatch(ctx, &messagingv1.SendSmsBatchRequest{RecipientInfo: &messagingv1.BatchSmsRecipientInfo{BatchSmsAsBase64: bad}})
			return err
		},
		"CallbackSms":  func() error { _, err := e.msg.CallbackSms(ctx, &messagingv1.CallbackSmsRequest{}); return err },
		"GetSmsStatus": func() error { _, err := e.msg.GetSmsStatus(ctx, &messagingv1.GetSmsStatusRequest{}); return err },
		"ListDeadLetters": func() error {
			_, err := e.op.ListDeadLetters(ctx, &messagingv1.ListDeadLettersRequest{Limit: -1})
			return err
		},
		"RetryMessage": func() error { _, err := e.op.RetryMessage(ctx, &messagingv1.RetryMessageRequest{}); return err },
		"CreateTemplateVersion": func() error {
			_, err := e.op.CreateTemplateVersion(ctx, &messagingv1.CreateTemplateVersionRequest{TextBody: "{{"})
			return err
		},
		"GetTemplate":   func() error { _, err := e.op.GetTemplate(ctx, &messagingv1.GetTemplateRequest{}); return err },
		"ListTemplates": func() error { _, err := e.op.ListTemplates(ctx, &messagingv1.ListTemplatesRequest{}); return err },
		"AddOptOut":     func() error { _, err := e.op.AddOptOut(ctx, &messagingv1.AddOptOutRequest{Address: bad}); return err },
		"RemoveOptOut": func() error {
			_, err := e.op.RemoveOptOut(ctx, &messagingv1.RemoveOptOutRequest{Address: bad})
			return err
		},
		"ListOptOuts": func() error { _, err := e.op.ListOptOuts(ctx, &messagingv1.ListOptOutsRequest{}); return err },
	}
	if got, want := len(calls), len(messagingv1.MessagingService_ServiceDesc.Methods)+len(messagingv1.OperatorService_ServiceDesc.Methods); got != want {
		t.Fatalf("%d calls tried, the services have %d", got, want)
	}
	for name, call := range calls {
		st, _ := status.FromError(call())
		if st.Code() != codes.Unauthenticated || st.Message() != "the apiKey header is required" {
			t.Errorf("%s without a key: %v %q", name, st.Code(), st.Message())
		}
	}
	// GovStack's older spelling works for gRPC callers too, and an empty apikey does not hide it.
	older := metadata.NewOutgoingContext(context.Background(), metadata.Pairs("apikey", "", "api_key", testKey))
	if _, err := e.msg.SendEmailSingle(older, single("older@example.org", "Older")); err != nil {
		t.Errorf("api_key: %v", err)
	}
}

// TestCallbackAndCallbackURI: single and batch sends take the delivery-report address under either of
// GovStack's spellings (callback on single sends, callbackURI on batches), and both when they agree.
func TestCallbackAndCallbackURI(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	reports := map[string]string{} // path → recipient
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		var rep struct{ Recipient string }
		_ = json.NewDecoder(r.Body).Decode(&rep)
		mu.Lock()
		reports[r.URL.Path] = rep.Recipient
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	e := start(t, nil)
	cb := func(path string) *messagingv1.CallbackSender { return &messagingv1.CallbackSender{Uri: srv.URL + path} }

	s1 := single("single-uri@example.org", "1")
	s1.CallbackUri = cb("/single-uri")
	s2 := single("single-both@example.org", "2")
	s2.Callback, s2.CallbackUri = cb("/single-both"), cb("/single-both")
	for _, r := range []*messagingv1.SendEmailSingleRequest{s1, s2} {
		if _, err := e.msg.SendEmailSingle(authed(), r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.msg.SendEmailBatch(authed(), &messagingv1.SendEmailBatchRequest{Callback: cb("/batch-callback"),
		Recipients: []*messagingv1.RecipientInfo{{Email: "batch@example.org"}}, EmailContent: content("3")}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"/single-uri": "single-uri@example.org", "/single-both": "single-both@example.org",
		"/batch-callback": "batch@example.org"}
	testkit.Eventually(t, 15*time.Second, "the delivery reports", func() error {
		mu.Lock()
		defer mu.Unlock()
		for path, rcpt := range want {
			if reports[path] != rcpt {
				return fmt.Errorf("reports %v, want %v", reports, want)
			}
		}
		return nil
	})
}
