package registry

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/jackc/pgx/v5"
)

// Right is one grant.
type Right struct {
	Service   ServiceRef
	Subject   Subject
	Endpoint  string
	CreatedAt time.Time
	// Cursor orders rights by service, then grant; pass the last one's to ListRights for the next page.
	Cursor Cursor
}

// Cursor is a position in ListRights' order.
type Cursor struct{ ServiceID, RightID int64 }

// RightsFilter narrows ListRights to services whose provider and code match the non-empty fields.
type RightsFilter struct {
	Instance, Class, Member, Subsystem, ServiceCode string
}

// ListRights returns up to limit grants after cursor (zero = from the start), grouped by service.
func (s *Store) ListRights(ctx context.Context, f RightsFilter, after Cursor, limit int) ([]Right, error) {
	rows, err := s.q(ctx).Query(ctx, `SELECT sv.id, ar.id, m.instance, m.class, m.code, s.code, sv.code,
			coalesce(cm.instance, ''), coalesce(cm.class, ''), coalesce(cm.code, ''), coalesce(cs.code, ''),
			coalesce(g.code, ''), ar.endpoint, ar.created_at
		FROM im_access_right ar JOIN im_service sv ON sv.id = ar.service_id
		JOIN im_subsystem s ON s.id = sv.provider_id JOIN im_member m ON m.id = s.member_id
		LEFT JOIN im_subsystem cs ON cs.id = ar.subsystem_id LEFT JOIN im_member cm ON cm.id = cs.member_id
		LEFT JOIN im_group g ON g.id = ar.group_id
		WHERE ($1 = '' OR m.instance = $1) AND ($2 = '' OR m.class = $2) AND ($3 = '' OR m.code = $3)
		  AND ($4 = '' OR s.code = $4) AND ($5 = '' OR sv.code = $5) AND (sv.id, ar.id) > ($6, $7)
		ORDER BY sv.id, ar.id LIMIT $8`,
		f.Instance, f.Class, f.Member, f.Subsystem, f.ServiceCode, after.ServiceID, after.RightID, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Right, error) {
		var x Right
		var p, c imident.Client
		err := r.Scan(&x.Cursor.ServiceID, &x.Cursor.RightID, &p.Instance, &p.Class, &p.Member, &p.Subsystem,
			&x.Service.Code, &c.Instance, &c.Class, &c.Member, &c.Subsystem, &x.Subject.Group, &x.Endpoint, &x.CreatedAt)
		x.Service.Provider, x.Subject.Client = p, c
		return x, err
	})
	return out, mapErr(err)
}
