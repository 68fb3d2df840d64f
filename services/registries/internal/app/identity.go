package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/imident"

	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// readerOf returns the IM client calling, as the usage log records it. The gRPC layer requires the identity
// on the data API, so an empty reader only happens for in-process callers such as tests and seeding.
func readerOf(ctx context.Context) domain.Reader {
	c, _ := imident.FromContext(ctx)
	if c.IsZero() {
		return domain.Reader{}
	}
	return domain.Reader{ID: c.String(), Member: c.Member, Subsystem: c.Subsystem}
}

// clientID is the caller's INSTANCE/CLASS/MEMBER/SUBSYSTEM, or "" when there is none.
func clientID(ctx context.Context) string { return readerOf(ctx).ID }
