package api

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/govstackbb/marketplace/platform/apierr"
	"google.golang.org/protobuf/types/known/timestamppb"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/messaging/internal/app"
	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
	"github.com/govstackbb/marketplace/services/messaging/internal/events"
)

const acceptedText = `Request successfully accepted. Use "requestUid" to track its status.`

func rejected(rs []app.RecipientError) []*messagingv1.RecipientError {
	out := make([]*messagingv1.RecipientError, len(rs))
	for i, r := range rs {
		out[i] = &messagingv1.RecipientError{Index: int32(r.Index), Recipient: r.Recipient, Field: r.Field, Reason: r.Reason}
	}
	return out
}

// batchEntry is one element of batchEmailAsBase64 / batchSmsAsBase64.
type batchEntry struct {
	RecipientInfo struct {
		Email    string `json:"email"`
		EmailCC  string `json:"emailCC"`
		EmailBCC string `json:"emailBCC"`
		Phone    string `json:"phone"`
		Name     string `json:"name"`
	} `json:"recipientInfo"`
}

// decodeBatch reads the base64 JSON list of recipients.
func decodeBatch(field, b64 string, sms bool) ([]app.Recipient, error) {
	if b64 == "" {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(b64)
	}
	if err != nil {
		return nil, apierr.Invalid("BATCH_NOT_BASE64", field+" is not base64", apierr.FieldViolation{Field: field, Description: "is not base64"})
	}
	var entries []batchEntry
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, apierr.Invalid("BATCH_NOT_JSON", field+` must decode to a JSON array [{"recipientInfo": {...}}]; `+batchJSONProblem(err),
			apierr.FieldViolation{Field: field, Description: "is not a JSON array of {recipientInfo}"})
	}
	out := make([]app.Recipient, len(entries))
	for i, e := range entries {
		r := e.RecipientInfo
		addr := r.Email
		if sms {
			addr = r.Phone
		}
		out[i] = app.Recipient{Address: addr, Name: r.Name, CC: r.EmailCC, BCC: r.EmailBCC}
	}
	return out, nil
}

// batchJSONProblem says what is wrong with a decoded batch in the request's words, not the JSON parser's.
func batchJSONProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Sprintf("the decoded text is not valid JSON at offset %d", syntax.Offset)
	case errors.As(err, &typ) && typ.Field != "":
		return fmt.Sprintf("%s of an entry is a JSON %s, want a string", typ.Field, typ.Value)
	case errors.As(err, &typ):
		return fmt.Sprintf("it decodes to a JSON %s", typ.Value)
	}
	return "it is not valid JSON"
}

func channelFromProto(c messagingv1.Channel) (domain.Channel, error) {
	switch c {
	case messagingv1.Channel_CHANNEL_EMAIL:
		return domain.Email, nil
	case messagingv1.Channel_CHANNEL_SMS:
		return domain.SMS, nil
	}
	return "", apierr.Invalid("CHANNEL_INVALID", fmt.Sprintf("channel must be CHANNEL_EMAIL or CHANNEL_SMS (got %v)", c),
		apierr.FieldViolation{Field: "channel", Description: "must be CHANNEL_EMAIL or CHANNEL_SMS"})
}

func messageInfo(m domain.Message) *messagingv1.MessageInfo {
	return &messagingv1.MessageInfo{Id: m.ID, Channel: events.ChannelProto(m.Channel), Recipient: m.Recipient,
		Status: events.StatusProto(m.Status), Attempts: int32(m.Attempts), Error: m.LastError,
		UpdatedAt: timestamppb.New(m.UpdatedAt)}
}

func messageInfos(ms []domain.Message) []*messagingv1.MessageInfo {
	out := make([]*messagingv1.MessageInfo, len(ms))
	for i, m := range ms {
		out[i] = messageInfo(m)
	}
	return out
}

func templateProto(t domain.Template) *messagingv1.Template {
	return &messagingv1.Template{Name: t.Name, Channel: events.ChannelProto(t.Channel), Language: t.Language,
		Version: int32(t.Version), Subject: t.Subject, TextBody: t.TextBody, HtmlBody: t.HTMLBody,
		CreatedAt: timestamppb.New(t.CreatedAt)}
}

func optOutProto(e domain.OptOut) *messagingv1.OptOut {
	return &messagingv1.OptOut{Channel: events.ChannelProto(e.Channel), Address: e.Address, CreatedAt: timestamppb.New(e.CreatedAt)}
}
