package gateway

import (
	"context"
	"fmt"
	"slices"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
)

// bbGrant is an access right one building block needs on another's service for the stack to work, e.g.
// Registration reading and writing the registries of approved domains, companies and citizens.
type bbGrant struct {
	Client    string   // the calling BB: subsystem GOVSTACK/GOV/GOVSTACK/<Client> (its provider identity)
	Provider  string   // the BB whose service is called
	Endpoints []string // full gRPC method names
}

// bbGrants are the BB-to-BB rights the gateway gives at start-up when both BBs are behind it. A BB that
// calls another adds a line. Each grant is given once (registry.Store.GrantOnce): an operator who revokes
// one keeps it revoked across restarts (docs/im-operator-guide.md).
var bbGrants = []bbGrant{
	{Client: "registration", Provider: "registries", Endpoints: []string{
		"/govstack.registries.v1.RegistriesService/ReadRecord",
		"/govstack.registries.v1.RegistriesService/RecordExists",
		"/govstack.registries.v1.RegistriesService/CreateRecord",
		"/govstack.registries.v1.RegistriesService/UpdateRecord",
		"/govstack.registries.v1.RegistriesService/UpdateOrCreateRecord",
	}},
}

// grantBBs gives the bbGrants whose two BBs are both among bbs.
func (m *im) grantBBs(ctx context.Context, bbs []string) error {
	for _, g := range bbGrants {
		if !slices.Contains(bbs, g.Client) || !slices.Contains(bbs, g.Provider) {
			continue
		}
		sub := registry.Subject{Client: m.cfg.Provider(g.Client)}
		svc := registry.ServiceRef{Provider: m.cfg.Provider(g.Provider), Code: g.Provider}
		if err := m.registry.GrantOnce(ctx, sub, svc, g.Endpoints...); err != nil {
			return fmt.Errorf("gateway: grant %s the %s endpoints it needs: %w", sub, svc, err)
		}
	}
	return nil
}
