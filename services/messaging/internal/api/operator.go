package api

import (
	"context"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/messaging/internal/app"
	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// Operator implements OperatorService.
type Operator struct {
	messagingv1.UnimplementedOperatorServiceServer
	app *app.Service
}

// NewOperator returns the handlers.
func NewOperator(a *app.Service) *Operator { return &Operator{app: a} }

// ListDeadLetters implements OperatorService.
func (h *Operator) ListDeadLetters(ctx context.Context, r *messagingv1.ListDeadLettersRequest) (*messagingv1.ListDeadLettersResponse, error) {
	ms, err := h.app.DeadLetters(ctx, int(r.GetLimit()))
	if err != nil {
		return nil, err
	}
	return &messagingv1.ListDeadLettersResponse{Messages: messageInfos(ms)}, nil
}

// RetryMessage implements OperatorService.
func (h *Operator) RetryMessage(ctx context.Context, r *messagingv1.RetryMessageRequest) (*messagingv1.RetryMessageResponse, error) {
	m, err := h.app.Retry(ctx, r.GetId())
	if err != nil {
		return nil, err
	}
	return &messagingv1.RetryMessageResponse{Message: messageInfo(m)}, nil
}

// CreateTemplateVersion implements OperatorService.
func (h *Operator) CreateTemplateVersion(ctx context.Context, r *messagingv1.CreateTemplateVersionRequest) (*messagingv1.CreateTemplateVersionResponse, error) {
	c, err := channelFromProto(r.GetChannel())
	if err != nil {
		return nil, err
	}
	t, err := h.app.CreateTemplateVersion(ctx, domain.Template{Name: r.GetName(), Channel: c, Language: r.GetLanguage(),
		Subject: r.GetSubject(), TextBody: r.GetTextBody(), HTMLBody: r.GetHtmlBody()})
	if err != nil {
		return nil, err
	}
	return &messagingv1.CreateTemplateVersionResponse{Template: templateProto(t)}, nil
}

// GetTemplate implements OperatorService.
func (h *Operator) GetTemplate(ctx context.Context, r *messagingv1.GetTemplateRequest) (*messagingv1.GetTemplateResponse, error) {
	c := domain.Email
	if r.GetChannel() != messagingv1.Channel_CHANNEL_UNSPECIFIED {
		var err error
		if c, err = channelFromProto(r.GetChannel()); err != nil {
			return nil, err
		}
	}
	t, err := h.app.Template(ctx, r.GetName(), c, r.GetLanguage(), int(r.GetVersion()))
	if err != nil {
		return nil, err
	}
	return &messagingv1.GetTemplateResponse{Template: templateProto(t)}, nil
}

// ListTemplates implements OperatorService.
func (h *Operator) ListTemplates(ctx context.Context, _ *messagingv1.ListTemplatesRequest) (*messagingv1.ListTemplatesResponse, error) {
	ts, err := h.app.Templates(ctx)
	if err != nil {
		return nil, err
	}
	out := &messagingv1.ListTemplatesResponse{}
	for _, t := range ts {
		out.Templates = append(out.Templates, templateProto(t))
	}
	return out, nil
}

// AddOptOut implements OperatorService.
func (h *Operator) AddOptOut(ctx context.Context, r *messagingv1.AddOptOutRequest) (*messagingv1.AddOptOutResponse, error) {
	c, err := channelFromProto(r.GetChannel())
	if err != nil {
		return nil, err
	}
	e, err := h.app.AddOptOut(ctx, c, r.GetAddress())
	if err != nil {
		return nil, err
	}
	return &messagingv1.AddOptOutResponse{OptOut: optOutProto(e)}, nil
}

// RemoveOptOut implements OperatorService.
func (h *Operator) RemoveOptOut(ctx context.Context, r *messagingv1.RemoveOptOutRequest) (*messagingv1.RemoveOptOutResponse, error) {
	c, err := channelFromProto(r.GetChannel())
	if err != nil {
		return nil, err
	}
	if err := h.app.RemoveOptOut(ctx, c, r.GetAddress()); err != nil {
		return nil, err
	}
	return &messagingv1.RemoveOptOutResponse{}, nil
}

// ListOptOuts implements OperatorService.
func (h *Operator) ListOptOuts(ctx context.Context, _ *messagingv1.ListOptOutsRequest) (*messagingv1.ListOptOutsResponse, error) {
	es, err := h.app.OptOuts(ctx)
	if err != nil {
		return nil, err
	}
	out := &messagingv1.ListOptOutsResponse{}
	for _, e := range es {
		out.OptOuts = append(out.OptOuts, optOutProto(e))
	}
	return out, nil
}
