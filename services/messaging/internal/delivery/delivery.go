// Package delivery talks to the outside world: SMTP for e-mail (github.com/wneessen/go-mail) and an HTTP
// SMS provider. Every failure comes back classified as domain.Permanent or domain.Temporary.
package delivery

import (
	"context"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

// Sender delivers one message over one channel.
type Sender interface {
	Send(ctx context.Context, m domain.Message) error
}
