package delivery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// HTTPSMS is the concrete SMS provider: a JSON-over-HTTP API.
//
//	POST <GOVSTACK_MESSAGING_SMS_PROVIDER_URL>
//	Authorization: Bearer <GOVSTACK_MESSAGING_SMS_PROVIDER_TOKEN>
//	Content-Type: application/json
//	Idempotency-Key: <message id>
//	{"to": "+3725551234", "from": "<GOVSTACK_MESSAGING_SMS_FROM>", "text": "...", "reference": "<message id>"}
//
// 2xx is delivered. 4xx other than 408 and 429 (an invalid number, a refused text) is permanent; 408, 429,
// 5xx, network errors and time-outs are temporary. Idempotency-Key lets a provider drop a repeat after a crash.
type HTTPSMS struct {
	URL, Token, From string
	Client           *http.Client
}

// NewHTTPSMS returns the provider with a client time-out.
func NewHTTPSMS(url, token, from string, timeout time.Duration) *HTTPSMS {
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	return &HTTPSMS{URL: url, Token: token, From: from, Client: &http.Client{Timeout: timeout}}
}

type smsRequest struct {
	To        string `json:"to"`
	From      string `json:"from"`
	Text      string `json:"text"`
	Reference string `json:"reference"`
}

// Send posts one SMS.
func (p *HTTPSMS) Send(ctx context.Context, m domain.Message) error {
	if p.URL == "" {
		return domain.Temporary(fmt.Errorf("no SMS provider configured (GOVSTACK_MESSAGING_SMS_PROVIDER_URL)"))
	}
	body, _ := json.Marshal(smsRequest{To: m.Recipient, From: p.From, Text: m.BodyText, Reference: m.ID})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.URL, bytes.NewReader(body))
	if err != nil {
		return domain.Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", m.ID)
	if p.Token != "" {
		req.Header.Set("Authorization", "Bearer "+p.Token)
	}
	resp, err := p.Client.Do(req)
	if err != nil {
		return domain.Temporary(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	c := resp.StatusCode
	if c >= 200 && c < 300 {
		return nil
	}
	// The provider's answer is kept with the message; the log gets its status only, because the answer may
	// quote the number or the text back.
	return &domain.SendError{Permanent: c >= 400 && c < 500 && c != http.StatusRequestTimeout && c != http.StatusTooManyRequests,
		Err:      fmt.Errorf("SMS provider: %s: %s", resp.Status, bytes.TrimSpace(text)),
		Loggable: "SMS provider answered " + resp.Status + " (its answer is stored with the message)"}
}
