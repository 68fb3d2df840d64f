package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// MigrationSet is one directory of goose SQL migrations embedded in a package. Several sets (a BB's own, the
// outbox's, the inbox's) share one database; each keeps its own version table, <Name>_migrations, so their
// version numbers never collide.
type MigrationSet struct {
	Name string // version table is <Name>_migrations
	FS   fs.FS
	Dir  string // directory inside FS; "" or "." for the root
}

// Migrate applies every pending migration of the sets, in order. Replicas starting together are serialised
// by a Postgres advisory lock, so each migration runs once.
func Migrate(ctx context.Context, pool *pgxpool.Pool, sets ...MigrationSet) error {
	db := stdlib.OpenDBFromPool(pool) // closing it leaves the pool open
	defer db.Close()
	for _, set := range sets {
		if set.Name == "" || set.FS == nil {
			return errors.New("pgstore: migration set needs a Name and an FS")
		}
		fsys := set.FS
		if set.Dir != "" && set.Dir != "." {
			sub, err := fs.Sub(set.FS, set.Dir)
			if err != nil {
				return fmt.Errorf("pgstore: migrations %s: %w", set.Name, err)
			}
			fsys = sub
		}
		// Poll the lock every second for up to 5 minutes; goose's default polls every 5 s, which makes a
		// replica that lost the race wait needlessly.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return fmt.Errorf("pgstore: migrations %s: %w", set.Name, err)
		}
		p, err := goose.NewProvider(goose.DialectPostgres, db, fsys,
			goose.WithTableName(set.Name+"_migrations"),
			goose.WithSessionLocker(locker),
			goose.WithDisableGlobalRegistry(true), // only the SQL files of this set, never stray Go migrations
		)
		if err != nil {
			return fmt.Errorf("pgstore: migrations %s: %w", set.Name, err)
		}
		if _, err := p.Up(ctx); err != nil {
			return fmt.Errorf("pgstore: migrate %s: %w", set.Name, err)
		}
	}
	return nil
}
