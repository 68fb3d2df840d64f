package messaging_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/govstackbb/marketplace/platform/testkit"
	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/messaging"
)

func single(to, title string) *messagingv1.SendEmailSingleRequest {
	return &messagingv1.SendEmailSingleRequest{RecipientInfo: &messagingv1.RecipientInfo{Email: to, Name: "Mari"},
		EmailContent: content(title)}
}

func TestAPIKeyIsRequired(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	_, err := e.msg.SendEmailSingle(context.Background(), single("a@example.org", "x"))
	if st := testkit.WantCode(t, err, codes.Unauthenticated); !strings.Contains(st.Message(), "apiKey") {
		t.Errorf("message %q does not name the header", st.Message())
	}
	wrong := metadata.AppendToOutgoingContext(context.Background(), messaging.APIKeyMetadata, "nope-nope-nope-nope")
	_, err = e.msg.GetEmailStatus(wrong, &messagingv1.GetEmailStatusRequest{RequestUid: "x"})
	testkit.WantCode(t, err, codes.Unauthenticated)
	_, err = e.op.ListDeadLetters(wrong, &messagingv1.ListDeadLettersRequest{})
	testkit.WantCode(t, err, codes.Unauthenticated)
}

// TestRequestUIDIsIdempotent: the same requestUid from the same key answers the first answer and sends once;
// another key's requests are separate and invisible.
func TestRequestUIDIsIdempotent(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	req := single("once@example.org", "Once")
	req.RequestUid = "UfQK-CPju-Ea5B-6y7X"
	first, err := e.msg.SendEmailSingle(authed(), req)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.msg.SendEmailSingle(authed(), req)
	if err != nil || second.GetRequestUid() != first.GetRequestUid() || second.GetAccepted() != 1 {
		t.Fatalf("repeat: %v %v", second, err)
	}
	testkit.Eventually(t, 10*time.Second, "delivered", func() error {
		if n, _ := e.sink.received("once@example.org"); n != 1 {
			return fmt.Errorf("received %d", n)
		}
		return nil
	})
	var rows int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM message`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("%d message rows (%v)", rows, err)
	}
	other := metadata.AppendToOutgoingContext(context.Background(), messaging.APIKeyMetadata, "other-key-0123456789abcdef")
	_, err = e.msg.GetEmailStatus(other, &messagingv1.GetEmailStatusRequest{RequestUid: req.RequestUid})
	testkit.WantCode(t, err, codes.NotFound)
}

func TestBadInputIs400(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	_, err := e.msg.SendEmailSingle(authed(), single("a@example.org", ""))
	testkit.WantCode(t, err, codes.InvalidArgument)
	_, err = e.msg.SendEmailBatch(authed(), &messagingv1.SendEmailBatchRequest{
		RecipientInfo: &messagingv1.BatchRecipientInfo{BatchEmailAsBase64: "%%%"}, EmailContent: content("x")})
	testkit.WantCode(t, err, codes.InvalidArgument)
	many := make([]string, 1001)
	for i := range many {
		many[i] = fmt.Sprintf("r%d@example.org", i)
	}
	_, err = e.msg.SendEmailBatch(authed(), &messagingv1.SendEmailBatchRequest{
		RecipientInfo: &messagingv1.BatchRecipientInfo{BatchEmailAsBase64: b64Recipients(t, many)}, EmailContent: content("x")})
	testkit.WantCode(t, err, codes.InvalidArgument)
	_, err = e.msg.GetEmailStatus(authed(), &messagingv1.GetEmailStatusRequest{RequestUid: "x", Status: []string{"lost"}})
	testkit.WantCode(t, err, codes.InvalidArgument)
}

// TestBounceDeadLetterAndRetry: a 550 is final (bounced); a 451 is retried with backoff until the attempts
// are used up (dead letter); an operator lists and retries it, and it is delivered once the server accepts.
// Final outcomes are published as events on GOVSTACK_MESSAGING.
func TestBounceDeadLetterAndRetry(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	b, err := e.msg.SendEmailSingle(authed(), single("bounce@example.org", "B"))
	if err != nil {
		t.Fatal(err)
	}
	tf, err := e.msg.SendEmailSingle(authed(), single("tempfail@example.org", "T"))
	if err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, "bounced and dead-lettered", func() error {
		if st := e.status(b.GetRequestUid()); st.GetBounced() != 1 {
			return fmt.Errorf("bounce: %+v", st)
		}
		if st := e.status(tf.GetRequestUid()); st.GetNotSent() != 1 || st.GetMessages()[0].GetAttempts() != 3 {
			return fmt.Errorf("tempfail: %+v", st)
		}
		return nil
	})
	dl, err := e.op.ListDeadLetters(backOffice(), &messagingv1.ListDeadLettersRequest{})
	if err != nil || len(dl.GetMessages()) != 1 || dl.GetMessages()[0].GetStatus() != messagingv1.MessageStatus_MESSAGE_STATUS_DEAD_LETTER {
		t.Fatalf("dead letters %v %v", dl, err)
	}
	e.sink.setTempFail(false)
	if _, err := e.op.RetryMessage(backOffice(), &messagingv1.RetryMessageRequest{Id: dl.GetMessages()[0].GetId()}); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, "retried and delivered", func() error {
		if n, _ := e.sink.received("tempfail@example.org"); n != 1 {
			return fmt.Errorf("received %d", n)
		}
		return nil
	})
	_, err = e.op.RetryMessage(backOffice(), &messagingv1.RetryMessageRequest{Id: dl.GetMessages()[0].GetId()})
	testkit.WantCode(t, err, codes.FailedPrecondition)

	cons, err := e.js.CreateOrUpdateConsumer(t.Context(), "GOVSTACK_MESSAGING", jetstream.ConsumerConfig{
		FilterSubjects: []string{messagingv1.EventMessageDelivered, messagingv1.EventMessageFailed}})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	testkit.Eventually(t, 10*time.Second, "outcome events", func() error {
		batch, err := cons.FetchNoWait(10)
		if err != nil {
			return err
		}
		for m := range batch.Messages() {
			seen[m.Subject()]++
		}
		if seen[messagingv1.EventMessageFailed] < 2 || seen[messagingv1.EventMessageDelivered] < 1 {
			return fmt.Errorf("seen %v", seen)
		}
		return nil
	})
}

func TestTemplatesAndOptOut(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	_, err := e.op.CreateTemplateVersion(authed(), &messagingv1.CreateTemplateVersionRequest{Name: "welcome",
		Channel: messagingv1.Channel_CHANNEL_EMAIL, Subject: "Welcome {{.name}}", TextBody: "Hello {{.name}}, code {{.code}}",
		HtmlBody: "<p>Hello {{.name}}</p>"})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := e.op.CreateTemplateVersion(authed(), &messagingv1.CreateTemplateVersionRequest{Name: "welcome",
		Channel: messagingv1.Channel_CHANNEL_EMAIL, Subject: "Welcome, {{.name}}", TextBody: "Hi {{.name}}, code {{.code}}"})
	if err != nil || v2.GetTemplate().GetVersion() != 2 {
		t.Fatalf("v2 %v %v", v2, err)
	}
	_, err = e.op.CreateTemplateVersion(authed(), &messagingv1.CreateTemplateVersionRequest{Name: "broken",
		Channel: messagingv1.Channel_CHANNEL_EMAIL, Subject: "x", TextBody: "{{.a"})
	testkit.WantCode(t, err, codes.InvalidArgument)

	vars, _ := structpb.NewStruct(map[string]any{"name": "Mari"})
	req := &messagingv1.SendEmailSingleRequest{RecipientInfo: &messagingv1.RecipientInfo{Email: "mari@example.org"},
		EmailContent: &messagingv1.EmailContent{TemplateName: "welcome", Variables: vars}}
	_, err = e.msg.SendEmailSingle(authed(), req)
	if st := testkit.WantCode(t, err, codes.InvalidArgument); !strings.Contains(st.Message(), "code") {
		t.Fatalf("missing variable not named: %q", st.Message())
	}
	req.EmailContent.Variables.Fields["code"] = structpb.NewStringValue("1234")
	if _, err := e.msg.SendEmailSingle(authed(), req); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, "template mail", func() error {
		if n, subj := e.sink.received("mari@example.org"); n != 1 || subj != "Welcome, Mari" {
			return fmt.Errorf("received %d %q", n, subj)
		}
		return nil
	})

	if _, err := e.op.AddOptOut(backOffice(), &messagingv1.AddOptOutRequest{Channel: messagingv1.Channel_CHANNEL_EMAIL, Address: "quiet@example.org"}); err != nil {
		t.Fatal(err)
	}
	news, err := e.msg.SendEmailSingle(authed(), single("quiet@example.org", "Newsletter"))
	if err != nil || news.GetAccepted() != 0 || len(news.GetRejected()) != 1 {
		t.Fatalf("opted-out newsletter: %v %v", news, err)
	}
	tx := single("quiet@example.org", "Your password reset")
	tx.Transactional = true
	if r, err := e.msg.SendEmailSingle(authed(), tx); err != nil || r.GetAccepted() != 1 {
		t.Fatalf("transactional: %v %v", r, err)
	}
	testkit.Eventually(t, 10*time.Second, "transactional delivered", func() error {
		if n, subj := e.sink.received("quiet@example.org"); n != 1 || subj != "Your password reset" {
			return fmt.Errorf("received %d %q", n, subj)
		}
		return nil
	})
}

// TestRecipientRateLimit: the per-recipient window (5 per hour in the test config) holds in Postgres.
func TestRecipientRateLimit(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	emails := []string{}
	for range 7 {
		emails = append(emails, "busy@example.org")
	}
	resp, err := e.msg.SendEmailBatch(authed(), &messagingv1.SendEmailBatchRequest{
		RecipientInfo: &messagingv1.BatchRecipientInfo{BatchEmailAsBase64: b64Recipients(t, emails)}, EmailContent: content("x")})
	if err != nil || resp.GetAccepted() != 5 || len(resp.GetRejected()) != 2 {
		t.Fatalf("%v %v", resp, err)
	}
}

// lockedBuffer collects log output from the dispatcher's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A failed delivery is logged at warn level with the message id and the reason, the recipient's address
// masked (issue 11): the operator sees it without reading the database.
func TestDeliveryFailuresAreLogged(t *testing.T) {
	t.Parallel()
	logs := &lockedBuffer{}
	e := start(t, func(_ *messaging.Config, d *messaging.Deps) {
		d.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	})
	if _, err := e.msg.SendEmailSingle(authed(), single("bounce@example.org", "B")); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 10*time.Second, "the failure is logged", func() error {
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(line, `"msg":"message delivery failed"`) && strings.Contains(line, `"outcome":"bounced"`) &&
				strings.Contains(line, `"message_id":"`) && strings.Contains(line, `"level":"WARN"`) {
				if strings.Contains(line, "bounce@example.org") {
					return fmt.Errorf("the log line holds the address: %s", line)
				}
				return nil
			}
		}
		return fmt.Errorf("no warn line yet:\n%s", logs.String())
	})
}
