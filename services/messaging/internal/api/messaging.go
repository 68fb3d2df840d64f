package api

import (
	"context"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/messaging/internal/app"
	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// Messaging implements MessagingService.
type Messaging struct {
	messagingv1.UnimplementedMessagingServiceServer
	app *app.Service
}

// NewMessaging returns the handlers.
func NewMessaging(a *app.Service) *Messaging { return &Messaging{app: a} }

func emailContent(s *messagingv1.SenderInfo, c *messagingv1.EmailContent, transactional bool, callback, callbackField string) app.Content {
	return app.Content{Channel: domain.Email, SenderName: s.GetName(), SenderAddress: s.GetEmail(), ReplyTo: s.GetReplyTo(),
		Subject: c.GetTitle(), Text: c.GetContent(), HTML: c.GetHtmlContent(), TemplateName: c.GetTemplateName(),
		TemplateLanguage: c.GetTemplateLanguage(), Vars: c.GetVariables().AsMap(), Transactional: transactional,
		CallbackURI: callback, CallbackField: callbackField}
}

func smsContent(s *messagingv1.SenderInfo, c *messagingv1.SmsContent, transactional bool, callback, callbackField string) app.Content {
	return app.Content{Channel: domain.SMS, SenderName: s.GetName(), Text: c.GetText(), TemplateName: c.GetTemplateName(),
		TemplateLanguage: c.GetTemplateLanguage(), Vars: c.GetVariables().AsMap(), Transactional: transactional,
		CallbackURI: callback, CallbackField: callbackField}
}

// callbackOf reads the delivery-report address under either of GovStack's spellings (callback on single
// sends, callbackURI on batches; clients mix them up): one of them, or both when they agree. It also
// returns the field the address came from, for an error about it.
func callbackOf(callback, callbackURI *messagingv1.CallbackSender) (uri, field string, err error) {
	a, b := strings.TrimSpace(callback.GetUri()), strings.TrimSpace(callbackURI.GetUri())
	switch {
	case a != "" && b != "" && a != b:
		return "", "", apierr.Invalid("CALLBACK_CONFLICT", "callback.URI and callbackURI.URI name different addresses; give one",
			apierr.FieldViolation{Field: "callbackURI.URI", Description: "differs from callback.URI"})
	case a == "" && b != "":
		return b, "callbackURI.URI", nil
	}
	return a, "callback.URI", nil
}

// SendEmailSingle implements MessagingService.
func (h *Messaging) SendEmailSingle(ctx context.Context, r *messagingv1.SendEmailSingleRequest) (*messagingv1.SendEmailSingleResponse, error) {
	ri := r.GetRecipientInfo()
	callback, callbackField, err := callbackOf(r.GetCallback(), r.GetCallbackUri())
	if err != nil {
		return nil, err
	}
	a, err := h.app.Send(ctx, app.SendInput{KeyName: keyName(ctx), RequestUID: requestUID(ctx, r.GetRequestUid()),
		Content:    emailContent(r.GetSenderInfo(), r.GetEmailContent(), r.GetTransactional(), callback, callbackField),
		Recipients: []app.Recipient{{Address: ri.GetEmail(), Name: ri.GetName(), CC: ri.GetEmailCc(), BCC: ri.GetEmailBcc()}},
		Field:      "recipientInfo.email", Single: true})
	if err != nil {
		return nil, err
	}
	return &messagingv1.SendEmailSingleResponse{Response: acceptedText, RequestUid: a.RequestUID,
		Accepted: int32(a.Accepted), Rejected: rejected(a.Rejected)}, nil
}

// SendEmailBatch implements MessagingService.
func (h *Messaging) SendEmailBatch(ctx context.Context, r *messagingv1.SendEmailBatchRequest) (*messagingv1.SendEmailBatchResponse, error) {
	rs, err := decodeBatch("recipientInfo.batchEmailAsBase64", r.GetRecipientInfo().GetBatchEmailAsBase64(), false)
	if err != nil {
		return nil, err
	}
	for _, x := range r.GetRecipients() {
		rs = append(rs, app.Recipient{Address: x.GetEmail(), Name: x.GetName(), CC: x.GetEmailCc(), BCC: x.GetEmailBcc()})
	}
	callback, callbackField, err := callbackOf(r.GetCallback(), r.GetCallbackUri())
	if err != nil {
		return nil, err
	}
	a, err := h.app.Send(ctx, app.SendInput{KeyName: keyName(ctx), RequestUID: requestUID(ctx, r.GetRequestUid()),
		Content:    emailContent(r.GetSenderInfo(), r.GetEmailContent(), r.GetTransactional(), callback, callbackField),
		Recipients: rs, Field: "recipientInfo.email"})
	if err != nil {
		return nil, err
	}
	return &messagingv1.SendEmailBatchResponse{Response: acceptedText, RequestUid: a.RequestUID,
		Accepted: int32(a.Accepted), Rejected: rejected(a.Rejected)}, nil
}

// CallbackEmail implements MessagingService.
func (h *Messaging) CallbackEmail(ctx context.Context, r *messagingv1.CallbackEmailRequest) (*messagingv1.CallbackEmailResponse, error) {
	if err := h.app.Callback(ctx, keyName(ctx), requestUID(ctx, r.GetRequestUid()), domain.Email, r.GetMeta(), r.GetContent()); err != nil {
		return nil, err
	}
	return &messagingv1.CallbackEmailResponse{Response: "Callback accepted."}, nil
}

// GetEmailStatus implements MessagingService.
func (h *Messaging) GetEmailStatus(ctx context.Context, r *messagingv1.GetEmailStatusRequest) (*messagingv1.GetEmailStatusResponse, error) {
	rep, err := h.app.Status(ctx, keyName(ctx), requestUID(ctx, r.GetRequestUid()), domain.Email, r.GetStatus())
	if err != nil {
		return nil, err
	}
	c := rep.Counts
	return &messagingv1.GetEmailStatusResponse{Scheduled: int32(c["scheduled"]), Processing: int32(c["processing"]),
		Deferred: int32(c["deferred"]), Bounced: int32(c["bounced"]), NotSent: int32(c["notSent"]),
		Delivered: int32(c["delivered"]), Messages: messageInfos(rep.Messages)}, nil
}

// SendSmsSingle implements MessagingService.
func (h *Messaging) SendSmsSingle(ctx context.Context, r *messagingv1.SendSmsSingleRequest) (*messagingv1.SendSmsSingleResponse, error) {
	ri := r.GetRecipientInfo()
	callback, callbackField, err := callbackOf(r.GetCallback(), r.GetCallbackUri())
	if err != nil {
		return nil, err
	}
	a, err := h.app.Send(ctx, app.SendInput{KeyName: keyName(ctx), RequestUID: requestUID(ctx, r.GetRequestUid()),
		Content:    smsContent(r.GetSenderInfo(), r.GetSmsContent(), r.GetTransactional(), callback, callbackField),
		Recipients: []app.Recipient{{Address: ri.GetPhone(), Name: ri.GetName()}}, Field: "recipientInfo.phone", Single: true})
	if err != nil {
		return nil, err
	}
	return &messagingv1.SendSmsSingleResponse{Response: acceptedText, RequestUid: a.RequestUID,
		Accepted: int32(a.Accepted), Rejected: rejected(a.Rejected)}, nil
}

// SendSmsBatch implements MessagingService.
func (h *Messaging) SendSmsBatch(ctx context.Context, r *messagingv1.SendSmsBatchRequest) (*messagingv1.SendSmsBatchResponse, error) {
	rs, err := decodeBatch("recipientInfo.batchSmsAsBase64", r.GetRecipientInfo().GetBatchSmsAsBase64(), true)
	if err != nil {
		return nil, err
	}
	for _, x := range r.GetRecipients() {
		rs = append(rs, app.Recipient{Address: x.GetPhone(), Name: x.GetName()})
	}
	callback, callbackField, err := callbackOf(r.GetCallback(), r.GetCallbackUri())
	if err != nil {
		return nil, err
	}
	a, err := h.app.Send(ctx, app.SendInput{KeyName: keyName(ctx), RequestUID: requestUID(ctx, r.GetRequestUid()),
		Content:    smsContent(r.GetSenderInfo(), r.GetSmsContent(), r.GetTransactional(), callback, callbackField),
		Recipients: rs, Field: "recipientInfo.phone"})
	if err != nil {
		return nil, err
	}
	return &messagingv1.SendSmsBatchResponse{Response: acceptedText, RequestUid: a.RequestUID,
		Accepted: int32(a.Accepted), Rejected: rejected(a.Rejected)}, nil
}

// CallbackSms implements MessagingService.
func (h *Messaging) CallbackSms(ctx context.Context, r *messagingv1.CallbackSmsRequest) (*messagingv1.CallbackSmsResponse, error) {
	if err := h.app.Callback(ctx, keyName(ctx), requestUID(ctx, r.GetRequestUid()), domain.SMS, r.GetMeta(), r.GetContent()); err != nil {
		return nil, err
	}
	return &messagingv1.CallbackSmsResponse{Response: "Callback accepted."}, nil
}

// GetSmsStatus implements MessagingService.
func (h *Messaging) GetSmsStatus(ctx context.Context, r *messagingv1.GetSmsStatusRequest) (*messagingv1.GetSmsStatusResponse, error) {
	rep, err := h.app.Status(ctx, keyName(ctx), requestUID(ctx, r.GetRequestUid()), domain.SMS, r.GetStatus())
	if err != nil {
		return nil, err
	}
	c := rep.Counts
	return &messagingv1.GetSmsStatusResponse{Scheduled: int32(c["scheduled"]), Processing: int32(c["processing"]),
		Deferred: int32(c["deferred"]), Bounced: int32(c["bounced"]), NotSent: int32(c["notSent"]),
		Delivered: int32(c["delivered"]), Messages: messageInfos(rep.Messages)}, nil
}
