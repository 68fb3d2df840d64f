package registry

import (
	"context"
	"errors"

	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/jackc/pgx/v5"
)

// Decision is the outcome of Check; Reason says why, in words an operator can act on.
type Decision struct {
	Allowed bool
	Reason  string
}

// checkSQL decides in one round trip: the service's enabled flag, and the first grant that covers the
// endpoint for the client directly, through a group it is in, or through a group of everyone. The client
// need not be registered: grants to an everyone group still apply to it.
const checkSQL = `
WITH client AS (
	SELECT s.id FROM im_subsystem s JOIN im_member m ON m.id = s.member_id
	WHERE m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4
)
SELECT sv.enabled, (
	SELECT CASE WHEN ar.subsystem_id IS NOT NULL THEN 'the client' ELSE 'group ' || g.code END
		|| CASE WHEN ar.endpoint = '*' THEN ' on the whole service' ELSE ' on this endpoint' END
	FROM im_access_right ar LEFT JOIN im_group g ON g.id = ar.group_id
	WHERE ar.service_id = sv.id AND ar.endpoint IN ($11, $10)
	  AND (ar.subsystem_id = (SELECT id FROM client)
	       OR g.everyone
	       OR ar.group_id IN (SELECT gm.group_id FROM im_group_member gm WHERE gm.subsystem_id = (SELECT id FROM client)))
	ORDER BY ar.subsystem_id IS NULL, ar.endpoint = '*'
	LIMIT 1)
FROM im_service sv JOIN im_subsystem ps ON ps.id = sv.provider_id JOIN im_member pm ON pm.id = ps.member_id
WHERE pm.instance = $5 AND pm.class = $6 AND pm.code = $7 AND ps.code = $8 AND sv.code = $9`

// Check decides whether client may call endpoint (a gRPC full method name) of provider's service
// serviceCode. Deny by default: an unknown or disabled service, or no grant covering the endpoint, is
// denied with the reason. A grant on "*" covers every endpoint but the personal-data right
// (imident.PersonalDataEndpoint), which an operator grants by name; grants to a group the client is in (or
// to an everyone group such as "all") count. Nothing is cached: a revocation is seen by the next Check.
func (s *Store) Check(ctx context.Context, client, provider imident.Client, serviceCode, endpoint string) (Decision, error) {
	if client.IsZero() {
		return Decision{Reason: "the caller is not authenticated"}, nil
	}
	if endpoint == "" || endpoint == Everything {
		return Decision{Reason: "no endpoint named"}, nil
	}
	wildcard := Everything
	if endpoint == imident.PersonalDataEndpoint {
		wildcard = endpoint // "*" does not cover it
	}
	var enabled bool
	var via *string
	err := s.q(ctx).QueryRow(ctx, checkSQL, client.Instance, client.Class, client.Member, client.Subsystem,
		provider.Instance, provider.Class, provider.Member, provider.Subsystem, serviceCode, endpoint, wildcard).Scan(&enabled, &via)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return Decision{Reason: "service " + serviceCode + " of " + provider.String() + " is not registered"}, nil
	case err != nil:
		return Decision{}, mapErr(err)
	case !enabled:
		return Decision{Reason: "service " + serviceCode + " of " + provider.String() + " is disabled"}, nil
	case via == nil:
		return Decision{Reason: "no access right covers this endpoint (deny by default)"}, nil
	}
	return Decision{Allowed: true, Reason: "granted to " + *via}, nil
}

// AllowedEndpoints returns, per service code of provider, the endpoints client has been granted ("*" for the
// whole service), counting group grants. Disabled services are left out.
func (s *Store) AllowedEndpoints(ctx context.Context, client, provider imident.Client) (map[string][]string, error) {
	rows, err := s.q(ctx).Query(ctx, `
		WITH client AS (
			SELECT s.id FROM im_subsystem s JOIN im_member m ON m.id = s.member_id
			WHERE m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4
		)
		SELECT DISTINCT sv.code, ar.endpoint
		FROM im_access_right ar LEFT JOIN im_group g ON g.id = ar.group_id
		JOIN im_service sv ON sv.id = ar.service_id
		JOIN im_subsystem ps ON ps.id = sv.provider_id JOIN im_member pm ON pm.id = ps.member_id
		WHERE pm.instance = $5 AND pm.class = $6 AND pm.code = $7 AND ps.code = $8 AND sv.enabled
		  AND (ar.subsystem_id = (SELECT id FROM client) OR g.everyone
		       OR ar.group_id IN (SELECT gm.group_id FROM im_group_member gm WHERE gm.subsystem_id = (SELECT id FROM client)))
		ORDER BY sv.code, ar.endpoint`,
		client.Instance, client.Class, client.Member, client.Subsystem,
		provider.Instance, provider.Class, provider.Member, provider.Subsystem)
	if err != nil {
		return nil, mapErr(err)
	}
	out := map[string][]string{}
	var code, endpoint string
	_, err = pgx.ForEachRow(rows, []any{&code, &endpoint}, func() error {
		out[code] = append(out[code], endpoint)
		return nil
	})
	return out, mapErr(err)
}
