package devstack

import (
	"context"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"

	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/govstackbb/marketplace/services/messaging"
	"github.com/govstackbb/marketplace/services/payments"
	"github.com/govstackbb/marketplace/services/procurement"
	"github.com/govstackbb/marketplace/services/registration"
	"github.com/govstackbb/marketplace/services/registries"
	"github.com/govstackbb/marketplace/services/scheduling"
	"github.com/govstackbb/marketplace/services/workflow"
)

// service is a building block as devstack runs it: the methods every BB's entry point has.
type service interface {
	Register(*grpc.Server)
	UnaryInterceptors() []grpc.UnaryServerInterceptor
	Run(context.Context) error
}

// buildEnv is what the stack hands a BB's constructor: its open connections and what it needs to know about
// the rest of the stack.
type buildEnv struct {
	pool *pgxpool.Pool
	js   jetstream.JetStream
	log  *slog.Logger
	// imAddr is the IM's bound gRPC address, where a BB calls other BBs.
	imAddr string
	// imAPIKey is an IM API key issued for the BB's own client when the gateway is not in development mode
	// ("" in development mode, where identity headers are trusted).
	imAPIKey func(client string) (string, error)
	// portalURL is the portal's bound base URL, e.g. http://127.0.0.1:8081: where e-mailed links lead.
	portalURL string
	// gatewayURL is the gateway's bound REST base URL: where a rail's callbacks come in.
	gatewayURL string
	// tokenKeys are the Registration BB's published token keys (JWKS), for BBs that verify user tokens.
	tokenKeys usertoken.KeySource
}

// buildingBlock says how to run one BB: its database schema, demo data, gRPC address and constructor.
type buildingBlock struct {
	name       string
	migrations func() []pgstore.MigrationSet
	seed       func(context.Context, Config, *pgxpool.Pool) error // nil: no demo data
	build      func(Config, buildEnv) (service, error)
}

// buildingBlocks are the BBs govstack dev runs: each BB of the catalog (proto/govstack/catalog), in its
// order, with how to build it from this stack's settings. A new BB adds its entry here.
var buildingBlocks = []buildingBlock{
	{
		name:       registries.Name,
		migrations: registries.Migrations,
		seed:       func(ctx context.Context, _ Config, p *pgxpool.Pool) error { return registries.Seed(ctx, p) },
		build: func(c Config, e buildEnv) (service, error) {
			return registries.New(registries.Config{Common: c.Common}, registries.Deps{Pool: e.pool, JetStream: e.js, Logger: e.log})
		},
	},
	{
		name:       messaging.Name,
		migrations: messaging.Migrations,
		build: func(c Config, e buildEnv) (service, error) {
			mc := c.Messaging
			mc.Common = c.Common
			if mc.APIKeys == "" {
				mc.APIKeys = DevMessagingAPIKey
			}
			mc.DevMode = mc.DevMode || c.DevMode // a development gateway means a development machine
			mc.TokenIssuer = c.Registration.TokenIssuer
			return messaging.New(mc, messaging.Deps{Pool: e.pool, JetStream: e.js, Logger: e.log, TokenKeys: e.tokenKeys})
		},
	},
	{
		name:       scheduling.Name,
		migrations: scheduling.Migrations,
		seed:       func(ctx context.Context, _ Config, p *pgxpool.Pool) error { return scheduling.Seed(ctx, p) },
		build: func(c Config, e buildEnv) (service, error) {
			sc := c.Scheduling
			sc.Common = c.Common
			sc.TokenIssuer = c.Registration.TokenIssuer
			return scheduling.New(sc, scheduling.Deps{Pool: e.pool, JetStream: e.js, Logger: e.log, TokenKeys: e.tokenKeys})
		},
	},
	{
		name:       registration.Name,
		migrations: registration.Migrations,
		seed: func(ctx context.Context, c Config, p *pgxpool.Pool) error {
			return registration.Seed(ctx, devRegistration(c), p)
		},
		build: func(c Config, e buildEnv) (service, error) {
			rc := devRegistration(c)
			rc.IMAddr = e.imAddr // the in-process IM: Digital Registries is called through it
			if rc.PublicURL == "" || rc.PublicURL == defaultRegistrationPublicURL {
				// The e-mailed links (<url>/activate?token=…, /reset-password, /register/buyer) open the portal's
				// pages, wherever GOVSTACK_PORTAL_ADDR put it.
				rc.PublicURL = e.portalURL
			}
			if rc.IMAPIKey == "" {
				key, err := e.imAPIKey(rc.IMClient)
				if err != nil {
					return nil, err
				}
				rc.IMAPIKey = key
			}
			return registration.New(rc, registration.Deps{Pool: e.pool, JetStream: e.js, Logger: e.log})
		},
	},
	{
		name:       payments.Name,
		migrations: payments.Migrations,
		build: func(c Config, e buildEnv) (service, error) {
			pc := c.Payments
			pc.Common = c.Common
			pc.TokenIssuer = c.Registration.TokenIssuer // approvers sign in with Registration
			if pc.Rail == payments.RailMobileMoney && pc.RailCallbackURL == "" {
				pc.RailCallbackURL = e.gatewayURL + "/rails/" + payments.RailMobileMoney + "/callbacks"
			}
			return payments.New(pc, payments.Deps{Pool: e.pool, JetStream: e.js, Logger: e.log, TokenKeys: e.tokenKeys})
		},
	},
	// Workflow: its connectors call Messaging, Scheduling and Registries through the in-process IM.
	{
		name:       workflow.Name,
		migrations: workflow.Migrations,
		seed:       func(ctx context.Context, _ Config, p *pgxpool.Pool) error { return workflow.Seed(ctx, p) },
		build: func(c Config, e buildEnv) (service, error) {
			wc := c.Workflow
			wc.Common = c.Common
			wc.IMAddr = e.imAddr // the in-process IM
			wc.TokenIssuer = c.Registration.TokenIssuer
			if wc.EmailAPIKey == "" {
				_, key, _ := strings.Cut(DevMessagingAPIKey, "=")
				wc.EmailAPIKey = key
			}
			if wc.IMAPIKey == "" {
				key, err := e.imAPIKey(wc.IMClient)
				if err != nil {
					return nil, err
				}
				wc.IMAPIKey = key
			}
			return workflow.New(wc, workflow.Deps{Pool: e.pool, JetStream: e.js, Logger: e.log, TokenKeys: e.tokenKeys})
		},
	},
	// Procurement: it calls Registries, Scheduling, Workflow and Payments through the in-process IM.
	{
		name:       procurement.Name,
		migrations: procurement.Migrations,
		build: func(c Config, e buildEnv) (service, error) {
			pc := c.Procurement
			pc.Common = c.Common
			pc.IMAddr = e.imAddr
			pc.TokenIssuer = c.Registration.TokenIssuer
			if pc.IMAPIKey == "" {
				key, err := e.imAPIKey(pc.IMClient)
				if err != nil {
					return nil, err
				}
				pc.IMAPIKey = key
			}
			return procurement.New(pc, procurement.Deps{Pool: e.pool, JetStream: e.js, Logger: e.log, TokenKeys: e.tokenKeys})
		},
	},
}

// devRegistration is the Registration BB's configuration in govstack dev: the well-known settings, and the
// demo administrator unless GOVSTACK_REGISTRATION_ADMIN_EMAIL/_PASSWORD name another.
func devRegistration(c Config) registration.Config {
	rc := c.Registration
	rc.Common = c.Common
	if rc.AdminEmail == "" && rc.AdminPassword == "" {
		rc.AdminEmail, rc.AdminPassword = DevAdminEmail, DevAdminPassword
	}
	return rc
}

// DevMessagingAPIKey is the Messaging apiKey govstack dev accepts when GOVSTACK_MESSAGING_API_KEYS is not set.
const DevMessagingAPIKey = "dev=govstack-dev-messaging-key"

// DevAdminEmail and DevAdminPassword sign in as the Registration BB's administrator (who decides
// domain-access requests) in govstack dev, when GOVSTACK_REGISTRATION_ADMIN_EMAIL and _PASSWORD are not set.
const (
	DevAdminEmail    = "admin@govstack.example.org"
	DevAdminPassword = "govstack-dev-admin-password"
)

// defaultRegistrationPublicURL is registration.Config's default PublicURL: govstack dev replaces it with the
// gateway's real address.
const defaultRegistrationPublicURL = "http://127.0.0.1:8080/accounts"
