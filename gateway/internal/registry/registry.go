// Package registry is the Information Mediator's service registry in Postgres: members, their subsystems,
// the services those subsystems provide, groups, roles, access rights (deny by default) and the credentials
// (API keys, client certificates) that prove who a caller is.
//
// Every change made on behalf of someone (an admin, a provider, the gateway at start-up) is passed to the
// Audit function inside the same transaction, so the change and its audit record commit together. The actor
// is the client in the context (imident.FromContext), or "gateway" when there is none (start-up bootstrap).
//
// Rights are read from Postgres on every Check, without a cache: a revocation takes effect on the very next
// call, in every gateway replica. Check is one indexed query (see BenchmarkCheck).
package registry

import (
	"context"
	"fmt"
	"strings"

	"github.com/govstackbb/marketplace/gateway/internal/registry/migrations"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// MigrationName is the registry's goose version table prefix (im_registry_migrations).
const MigrationName = "im_registry"

// Migrations returns the registry's schema.
func Migrations() pgstore.MigrationSet {
	return pgstore.MigrationSet{Name: MigrationName, FS: migrations.FS, Dir: "."}
}

// AuditFunc records one admin change inside the transaction that makes it (the message-log package
// implements it). actor is a client's String() or "gateway"; action names the change (e.g. "rights.allow");
// target what it changed; detail is JSON-marshalable.
type AuditFunc func(ctx context.Context, tx pgx.Tx, actor, action, target string, detail any) error

// SystemActor is the actor of changes made without a client in the context: the gateway's own start-up.
const SystemActor = "gateway"

// GroupAll is the built-in group of every authenticated client (X-Road's global group); development mode
// grants it every BB service.
const GroupAll = "all"

// GroupDevMode is the everyone group development mode grants the BB services to. Outside development mode
// the gateway revokes its grants at start (RevokeAll), so turning development mode off takes them back
// without touching what an admin granted to GroupAll.
const GroupDevMode = "dev-mode"

// RoleAdmin may use the configuration API and manage every service, right and credential.
const RoleAdmin = "admin"

// Everything is the endpoint that stands for every endpoint of a service.
const Everything = "*"

// Store is the registry on one Postgres pool. It is safe for concurrent use.
type Store struct {
	pool  *pgxpool.Pool
	audit AuditFunc
	// onRevoke is told the hex SHA-256 of a key this process revoked, onChange of every committed change
	// (both set by NewCache).
	onRevoke func(keyHash string)
	onChange func()
}

// New returns the registry on pool (migrated with Migrations). audit may be nil (tests, tools), in which case
// changes are not audited.
func New(pool *pgxpool.Pool, audit AuditFunc) *Store {
	if audit == nil {
		audit = func(context.Context, pgx.Tx, string, string, string, any) error { return nil }
	}
	return &Store{pool: pool, audit: audit}
}

// Pool returns the store's pool, for a readiness check.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Member is an organisation registered with the IM.
type Member struct {
	Instance, Class, Code string
	Name                  string
}

// String returns INSTANCE/CLASS/CODE.
func (m Member) String() string { return m.Instance + "/" + m.Class + "/" + m.Code }

// MemberOf returns the member a client subsystem belongs to.
func MemberOf(c imident.Client) Member {
	return Member{Instance: c.Instance, Class: c.Class, Code: c.Member}
}

// actorOf names who is making a change: the authenticated client in ctx (and, when it is a portal acting
// for a signed-in person, that person's account id), or the gateway itself.
func actorOf(ctx context.Context) string {
	if c, ok := imident.FromContext(ctx); ok && !c.IsZero() {
		if p, ok := usertoken.FromContext(ctx); ok && p.Subject != "" {
			return c.String() + " for account " + p.Subject
		}
		return c.String()
	}
	return SystemActor
}

type txKey struct{}

// Atomically runs fn in one transaction: every Store call made with the ctx fn receives joins it, so a batch
// of changes (a configuration body, a list of rights) commits together or not at all, audit records
// included. fn may be run again when Postgres aborts the transaction for a conflict, so it must not have
// effects outside the store.
func (s *Store) Atomically(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, nested := ctx.Value(txKey{}).(pgx.Tx); nested {
		return fn(ctx)
	}
	return mapErr(pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	}))
}

// q returns the transaction of an Atomically batch, or the pool.
func (s *Store) q(ctx context.Context) pgxQuerier {
	if tx, ok := ctx.Value(txKey{}).(pgx.Tx); ok {
		return tx
	}
	return s.pool
}

// change runs fn and records the audit entry in one transaction (the batch's, inside Atomically). Errors
// come back mapped to apierr.
func (s *Store) change(ctx context.Context, action, target string, detail any, fn func(pgx.Tx) error) error {
	if tx, ok := ctx.Value(txKey{}).(pgx.Tx); ok {
		if err := fn(tx); err != nil {
			return mapErr(err)
		}
		if s.onChange != nil {
			s.onChange() // early (the caller's transaction may still roll back): costs a refill, never a stale allow
		}
		return mapErr(s.afterChange(ctx, tx, action, target, detail))
	}
	err := pgstore.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return s.afterChange(ctx, tx, action, target, detail)
	})
	if err == nil && s.onChange != nil {
		s.onChange() // this replica at once, before the notification arrives
	}
	return pgstore.MapError(err)
}

// validSegment reports whether one identifier segment is usable: non-empty, no "/", no surrounding spaces,
// no control characters.
func validSegment(s string) bool {
	if s == "" || strings.TrimSpace(s) != s || strings.Contains(s, "/") {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

func checkSegments(what string, fields ...[2]string) error {
	var v []apierr.FieldViolation
	for _, f := range fields {
		if !validSegment(f[1]) {
			v = append(v, apierr.FieldViolation{Field: f[0], Description: "must be non-empty, without '/', spaces at the ends or control characters"})
		}
	}
	if len(v) > 0 {
		return apierr.Invalid("INVALID_IDENTIFIER", fmt.Sprintf("invalid %s identifier: %s %s", what, v[0].Field, v[0].Description), v...)
	}
	return nil
}

func checkMember(m Member) error {
	return checkSegments("member", [2]string{"instance", m.Instance}, [2]string{"class", m.Class}, [2]string{"code", m.Code})
}

func checkClient(c imident.Client) error {
	return checkSegments("client", [2]string{"instance", c.Instance}, [2]string{"class", c.Class},
		[2]string{"member", c.Member}, [2]string{"subsystem", c.Subsystem})
}

// maxEndpoint bounds an endpoint name; gRPC method names are far shorter.
const maxEndpoint = 512

// checkEndpoint accepts "*", the personal-data right, a gRPC full method name "/package.Service/Method", or
// "action:name" (the pub/sub rooms' "subscribe:<eventType>").
func checkEndpoint(e string) error {
	if e == Everything || e == imident.PersonalDataEndpoint {
		return nil
	}
	ok := len(e) <= maxEndpoint && !strings.ContainsFunc(e, func(r rune) bool { return r <= ' ' || r == 0x7f })
	if parts := strings.Split(e, "/"); ok && len(parts) == 3 && parts[0] == "" && parts[1] != "" && parts[2] != "" {
		return nil
	}
	if action, name, found := strings.Cut(e, ":"); ok && found && name != "" && isWord(action) && !strings.HasPrefix(e, "/") {
		return nil
	}
	return apierr.Invalid("INVALID_ENDPOINT", fmt.Sprintf(
		"endpoint %q must be \"*\" (the whole service), \"personal-data\" (any person's data), a gRPC full method name like "+
			"/govstack.registries.v1.RegistriesService/ReadRecord, or action:name like subscribe:govstack.registries.v1.record.created", e))
}

func isWord(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

// subsystemID finds a registered subsystem's id in tx; NotFound when it is not registered.
func subsystemID(ctx context.Context, q pgxQuerier, c imident.Client) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `SELECT s.id FROM im_subsystem s JOIN im_member m ON m.id = s.member_id
		WHERE m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4`,
		c.Instance, c.Class, c.Member, c.Subsystem).Scan(&id)
	if err == pgx.ErrNoRows {
		return 0, apierr.NotFound("UNKNOWN_CLIENT", "subsystem "+c.String()+" is not registered with the IM; register it first")
	}
	return id, err
}

// pgxQuerier is what both a pool and a transaction offer.
type pgxQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// changedChannel announces that the registry changed (rights, groups, services): caches of decisions drop
// everything. The notification is sent by the change's own transaction, so it arrives only if it commits.
const changedChannel = "im_registry_changed"

// afterChange audits the change and announces it, inside its transaction.
func (s *Store) afterChange(ctx context.Context, tx pgx.Tx, action, target string, detail any) error {
	if err := s.audit(ctx, tx, actorOf(ctx), action, target, detail); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, changedChannel, action)
	return err
}
