package connectors

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/structpb"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/workflow/internal/app"
)

// apiKeyMetadata is where the Messaging BB reads its API key.
const apiKeyMetadata = "apikey"

// Messaging sends e-mails through the Messaging BB (job type govstack-messaging-send). Inputs: recipients
// (a list of addresses), recipientUser (an address), recipientGroup (a group, resolved through Groups),
// subject, body, templateData; headers: template (a Messaging template, used when it exists) and channel
// (email). The result variables are messageRequestUid and messagesAccepted.
type Messaging struct {
	Client    messagingv1.MessagingServiceClient
	Templates messagingv1.OperatorServiceClient
	APIKey    string
	// Groups are the addresses of each recipient group (GOVSTACK_WORKFLOW_GROUP_EMAILS).
	Groups map[string][]string
}

// NewMessaging returns the Messaging connector on conn (a connection through the IM).
func NewMessaging(conn grpc.ClientConnInterface, apiKey string, groups map[string][]string) *Messaging {
	return &Messaging{Client: messagingv1.NewMessagingServiceClient(conn), Templates: messagingv1.NewOperatorServiceClient(conn),
		APIKey: apiKey, Groups: groups}
}

// Types implements app.Connector.
func (m *Messaging) Types() []string { return []string{TypeSendMessage} }

// Do sends the job's message to its recipients in one batch call.
func (m *Messaging) Do(ctx context.Context, job app.ConnectorJob) (app.ConnectorResult, error) {
	if ch := text(job, "channel"); ch != "" && !strings.EqualFold(ch, "email") {
		return app.ConnectorResult{}, app.Permanent("channel %q is not sent by this connector (email is)", ch)
	}
	to, err := m.recipients(job)
	if err != nil {
		return app.ConnectorResult{}, err
	}
	content, err := m.content(ctx, job)
	if err != nil {
		return app.ConnectorResult{}, err
	}
	req := &messagingv1.SendEmailBatchRequest{RequestUid: job.ID, EmailContent: content}
	for _, addr := range to {
		req.Recipients = append(req.Recipients, &messagingv1.RecipientInfo{Email: addr})
	}
	resp, err := m.Client.SendEmailBatch(withKey(ctx, job, apiKeyMetadata, m.APIKey), req)
	if err != nil {
		return app.ConnectorResult{}, failure("Messaging refused the e-mail", err)
	}
	return app.ConnectorResult{Variables: map[string]any{"messageRequestUid": resp.GetRequestUid(),
		"messagesAccepted": float64(resp.GetAccepted())}}, nil
}

// recipients gathers every address the job names, each once.
func (m *Messaging) recipients(job app.ConnectorJob) ([]string, error) {
	to, err := list(job, "recipients")
	if err != nil {
		return nil, err
	}
	if u := text(job, "recipientUser"); u != "" {
		if !strings.Contains(u, "@") {
			return nil, app.Permanent("recipientUser %q is not an e-mail address", u)
		}
		to = append(to, u)
	}
	if g := text(job, "recipientGroup"); g != "" {
		addrs, ok := m.Groups[g]
		if !ok {
			return nil, app.Permanent("recipient group %q has no addresses: set them in GOVSTACK_WORKFLOW_GROUP_EMAILS (%s=a@example.org;b@example.org)", g, g)
		}
		to = append(to, addrs...)
	}
	seen := map[string]bool{}
	var out []string
	for _, a := range to {
		if k := strings.ToLower(a); !seen[k] {
			seen[k] = true
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, app.Permanent("the message has no recipient: give recipients, recipientUser or recipientGroup")
	}
	return out, nil
}

// content is the Messaging template named by the task header when Messaging has it (and lets this BB read
// it), else the subject and a body (the body input, or the template data written out): a missing template
// must not keep a notice from going out.
func (m *Messaging) content(ctx context.Context, job app.ConnectorJob) (*messagingv1.EmailContent, error) {
	data, err := object(job, "templateData")
	if err != nil {
		return nil, err
	}
	subject := text(job, "subject")
	if tmpl := job.Headers["template"]; tmpl != "" {
		// A read: no Idempotency-Key (the job's key belongs to the send).
		_, err := m.Templates.GetTemplate(metadata.AppendToOutgoingContext(ctx, apiKeyMetadata, m.APIKey),
			&messagingv1.GetTemplateRequest{Name: tmpl, Channel: messagingv1.Channel_CHANNEL_EMAIL})
		if err == nil {
			vars, err := structpb.NewStruct(withSubject(data, subject))
			if err != nil {
				return nil, app.Permanent("templateData: %v", err)
			}
			return &messagingv1.EmailContent{TemplateName: tmpl, Title: subject, Variables: vars}, nil
		}
	}
	if subject == "" {
		return nil, app.Permanent("the message has no subject")
	}
	body := text(job, "body")
	if body == "" {
		body = written(subject, data)
	}
	return &messagingv1.EmailContent{Title: subject, Content: body}, nil
}

func withSubject(data map[string]any, subject string) map[string]any {
	out := map[string]any{"subject": subject}
	for k, v := range data {
		out[k] = v
	}
	return out
}

// written is a plain body: the subject, then each template datum on a line of its own.
func written(subject string, data map[string]any) string {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(subject + "\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "\n%s: %v", k, data[k])
	}
	return b.String()
}
