package registry

import (
	"context"

	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/jackc/pgx/v5"
)

// RegisterMember adds a member or, when it exists, renames it (an empty name keeps the old one).
func (s *Store) RegisterMember(ctx context.Context, m Member) error {
	if err := checkMember(m); err != nil {
		return err
	}
	return s.change(ctx, "member.register", m.String(), map[string]string{"name": m.Name}, func(tx pgx.Tx) error {
		_, err := upsertMember(ctx, tx, m)
		return err
	})
}

func upsertMember(ctx context.Context, tx pgx.Tx, m Member) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO im_member (instance, class, code, name) VALUES ($1, $2, $3, $4)
		ON CONFLICT (instance, class, code) DO UPDATE
		SET name = CASE WHEN EXCLUDED.name = '' THEN im_member.name ELSE EXCLUDED.name END
		RETURNING id`, m.Instance, m.Class, m.Code, m.Name).Scan(&id)
	return id, err
}

// RegisterSubsystem adds subsystem c, and its member when that is not registered yet. Registering an
// existing subsystem changes nothing.
func (s *Store) RegisterSubsystem(ctx context.Context, c imident.Client) error {
	if err := checkClient(c); err != nil {
		return err
	}
	return s.change(ctx, "subsystem.register", c.String(), nil, func(tx pgx.Tx) error {
		_, err := upsertSubsystem(ctx, tx, c)
		return err
	})
}

func upsertSubsystem(ctx context.Context, tx pgx.Tx, c imident.Client) (int64, error) {
	memberID, err := upsertMember(ctx, tx, MemberOf(c))
	if err != nil {
		return 0, err
	}
	var id int64
	// DO UPDATE (a no-op) rather than DO NOTHING, so RETURNING yields the existing row's id.
	err = tx.QueryRow(ctx, `INSERT INTO im_subsystem (member_id, code) VALUES ($1, $2)
		ON CONFLICT (member_id, code) DO UPDATE SET code = EXCLUDED.code RETURNING id`,
		memberID, c.Subsystem).Scan(&id)
	return id, err
}

// MemberEntry is a member with the codes of its subsystems, as listClients shows them.
type MemberEntry struct {
	Member
	Subsystems []string
}

// ListClients returns every member and its subsystems, ordered by identifier; instance "" means all
// instances.
func (s *Store) ListClients(ctx context.Context, instance string) ([]MemberEntry, error) {
	rows, err := s.q(ctx).Query(ctx, `SELECT m.instance, m.class, m.code, m.name,
			coalesce(array_agg(s.code ORDER BY s.code) FILTER (WHERE s.code IS NOT NULL), '{}')
		FROM im_member m LEFT JOIN im_subsystem s ON s.member_id = m.id
		WHERE $1 = '' OR m.instance = $1
		GROUP BY m.id ORDER BY m.instance, m.class, m.code`, instance)
	if err != nil {
		return nil, mapErr(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (MemberEntry, error) {
		var e MemberEntry
		err := r.Scan(&e.Instance, &e.Class, &e.Code, &e.Name, &e.Subsystems)
		return e, err
	})
	return out, mapErr(err)
}

// GrantRole gives a registered subsystem a role (only RoleAdmin exists). Granting it twice is a no-op.
func (s *Store) GrantRole(ctx context.Context, c imident.Client, role string) error {
	if err := checkRole(role); err != nil {
		return err
	}
	return s.change(ctx, "role.grant", c.String(), map[string]string{"role": role}, func(tx pgx.Tx) error {
		id, err := subsystemID(ctx, tx, c)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO im_role (subsystem_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, role)
		return err
	})
}

// RevokeRole takes a role away; revoking a role the subsystem does not have is a no-op.
func (s *Store) RevokeRole(ctx context.Context, c imident.Client, role string) error {
	if err := checkRole(role); err != nil {
		return err
	}
	return s.change(ctx, "role.revoke", c.String(), map[string]string{"role": role}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM im_role r USING im_subsystem s, im_member m
			WHERE r.subsystem_id = s.id AND s.member_id = m.id AND r.role = $5
			  AND m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4`,
			c.Instance, c.Class, c.Member, c.Subsystem, role)
		return err
	})
}

// EnsureAdmin registers c (and its member) and grants it RoleAdmin: the start-up bootstrap of
// GOVSTACK_GATEWAY_ADMIN_CLIENTS.
func (s *Store) EnsureAdmin(ctx context.Context, c imident.Client) error {
	if err := checkClient(c); err != nil {
		return err
	}
	return s.change(ctx, "role.grant", c.String(), map[string]string{"role": RoleAdmin}, func(tx pgx.Tx) error {
		id, err := upsertSubsystem(ctx, tx, c)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO im_role (subsystem_id, role) VALUES ($1, 'admin') ON CONFLICT DO NOTHING`, id)
		return err
	})
}

// IsAdmin reports whether c holds RoleAdmin.
func (s *Store) IsAdmin(ctx context.Context, c imident.Client) (bool, error) {
	var ok bool
	err := s.q(ctx).QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM im_role r
		JOIN im_subsystem s ON s.id = r.subsystem_id JOIN im_member m ON m.id = s.member_id
		WHERE m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4 AND r.role = 'admin')`,
		c.Instance, c.Class, c.Member, c.Subsystem).Scan(&ok)
	return ok, mapErr(err)
}
