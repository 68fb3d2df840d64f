package registry

import (
	"context"

	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/jackc/pgx/v5"
)

// CreateGroup adds a group, or updates its description when it exists.
func (s *Store) CreateGroup(ctx context.Context, code, description string) error {
	if err := checkSegments("group", [2]string{"group", code}); err != nil {
		return err
	}
	return s.change(ctx, "group.create", "group:"+code, map[string]string{"description": description}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO im_group (code, description) VALUES ($1, $2)
			ON CONFLICT (code) DO UPDATE SET description = EXCLUDED.description`, code, description)
		return err
	})
}

// AddGroupMember puts a registered subsystem into a group (a no-op when it is in already). The everyone
// groups take no members: every client is in them.
func (s *Store) AddGroupMember(ctx context.Context, code string, c imident.Client) error {
	return s.groupMember(ctx, "group.add", code, c, `INSERT INTO im_group_member (group_id, subsystem_id)
		VALUES ($1, $2) ON CONFLICT DO NOTHING`)
}

// RemoveGroupMember takes a subsystem out of a group; its group grants stop on the next Check.
func (s *Store) RemoveGroupMember(ctx context.Context, code string, c imident.Client) error {
	return s.groupMember(ctx, "group.remove", code, c, `DELETE FROM im_group_member WHERE group_id = $1 AND subsystem_id = $2`)
}

func (s *Store) groupMember(ctx context.Context, action, code string, c imident.Client, sql string) error {
	if err := checkSubject(Subject{Group: code}); err != nil {
		return err
	}
	if err := checkClient(c); err != nil {
		return err
	}
	return s.change(ctx, action, "group:"+code, map[string]string{"client": c.String()}, func(tx pgx.Tx) error {
		_, group, err := subjectIDs(ctx, tx, Subject{Group: code})
		if err != nil {
			return err
		}
		subsystem, err := subsystemID(ctx, tx, c)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, sql, group, subsystem)
		return err
	})
}
