package gateway

import (
	"context"
	"fmt"
	"slices"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/proto/govstack/catalog"
)

// grantBBs gives the BB-to-BB rights the catalog lists (a BB's Calls) when both BBs are among bbs: the
// stack does not work without them, e.g. Registration reading and writing the registries of approved
// domains, companies and citizens. Each is given once (registry.Store.GrantOnce): an operator who revokes
// one keeps it revoked across restarts (docs/im-operator-guide.md).
func (m *im) grantBBs(ctx context.Context, bbs []string) error {
	for _, client := range catalog.All {
		for _, call := range client.Calls {
			if !slices.Contains(bbs, client.Name) || !slices.Contains(bbs, call.Provider) {
				continue
			}
			sub := registry.Subject{Client: m.cfg.Provider(client.Name)}
			svc := registry.ServiceRef{Provider: m.cfg.Provider(call.Provider), Code: call.Provider}
			if err := m.registry.GrantOnce(ctx, sub, svc, call.Endpoints...); err != nil {
				return fmt.Errorf("gateway: grant %s the %s endpoints it needs: %w", sub, svc, err)
			}
		}
	}
	return nil
}
