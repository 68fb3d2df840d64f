package api

import (
	"context"
	"fmt"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/domain"
)

// Renderer renders callbacks' bodies with the same code as their poll twins answer with, so a callback and
// a GET of the same thing never disagree.
func Renderer(a *app.Service) app.CallbackRenderer {
	return func(ctx context.Context, c domain.Callback) ([]byte, error) {
		actor := app.Actor{Tenant: c.Tenant}
		var m proto.Message
		switch c.Kind {
		case domain.CallbackBatch, domain.CallbackAuthorization:
			b, err := a.Batch(ctx, actor, c.Subject)
			if err != nil {
				return nil, err
			}
			if c.Kind == domain.CallbackBatch {
				m = batchSummary(b)
			} else {
				m = authorizationResult(b)
			}
		case domain.CallbackValidation:
			v, err := a.Validation(ctx, actor, c.Subject)
			if err != nil {
				return nil, err
			}
			m = validationResult(v)
		case domain.CallbackMapper:
			r, err := a.MapperRequest(ctx, actor, c.Subject)
			if err != nil {
				return nil, err
			}
			m = mapperResult(r)
		case domain.CallbackBill:
			b, err := a.Bill(ctx, actor, c.Subject)
			if err != nil {
				return nil, err
			}
			m = billInquiry(b)
		case domain.CallbackRTP:
			r, err := a.RTP(ctx, actor, c.Subject)
			if err != nil {
				return nil, err
			}
			m = rtpStatus(r)
		default:
			return nil, fmt.Errorf("no body for callbacks of kind %q", c.Kind)
		}
		return JSON(m)
	}
}

// JSON encodes m as the gateway's REST answers do: the JSON names, zero values included.
func JSON(m proto.Message) ([]byte, error) {
	return protojson.MarshalOptions{EmitUnpopulated: true}.Marshal(m)
}
