package registry

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/pgstore"
	"github.com/jackc/pgx/v5"
)

// Method is one endpoint of a service: its gRPC full method name (the endpoint rights are granted on) and
// the REST binding grpc-gateway serves it under (HTTPMethod "" and Path "" for gRPC-only methods).
type Method struct {
	FullName   string // "/govstack.registries.v1.RegistriesService/ReadRecord"
	HTTPMethod string // "GET"
	Path       string // "/data/{registryname}/{versionnumber}/read"
}

// Service is what a provider subsystem offers under a service code.
type Service struct {
	Provider imident.Client
	Code     string // e.g. "registries"
	BB       string // the building block that implements it ("" for a service outside the gateway)
	GRPCAddr string
	OpenAPI  []byte // JSON or YAML; nil keeps what is stored
	Enabled  bool
	Methods  []Method // nil keeps what is stored; empty clears
}

// Key names the service: "INSTANCE/CLASS/MEMBER/SUBSYSTEM/CODE".
func (s Service) Key() string { return s.Provider.String() + "/" + s.Code }

func mapErr(err error) error { return pgstore.MapError(err) }

func checkService(svc Service) error {
	if err := checkClient(svc.Provider); err != nil {
		return err
	}
	if err := checkSegments("service", [2]string{"serviceCode", svc.Code}); err != nil {
		return err
	}
	for _, m := range svc.Methods {
		if m.FullName == Everything {
			return apierr.Invalid("INVALID_ENDPOINT", "a method's name cannot be \"*\"")
		}
		if err := checkEndpoint(m.FullName); err != nil {
			return err
		}
		if !httpMethods[m.HTTPMethod] {
			return apierr.Invalid("INVALID_METHOD", "HTTP method "+m.HTTPMethod+" of "+m.FullName+" must be an upper-case HTTP verb such as GET")
		}
		if m.Path != "" && !strings.HasPrefix(m.Path, "/") {
			return apierr.Invalid("INVALID_PATH", "REST path "+m.Path+" of "+m.FullName+" must start with /")
		}
	}
	return nil
}

// RegisterService adds or updates a service of a provider (registering the provider if needed), including
// whether it is enabled. An empty BB or GRPCAddr, and a nil OpenAPI or Methods, keep what is stored.
func (s *Store) RegisterService(ctx context.Context, svc Service) error {
	return s.putService(ctx, "service.register", svc, true)
}

// EnsureService is the gateway's start-up bootstrap of one BB's service: it registers the provider and the
// service and refreshes its BB, address, OpenAPI and methods. A new service starts with svc.Enabled; an
// existing one keeps its enabled flag, so a restart never re-enables what an admin disabled.
func (s *Store) EnsureService(ctx context.Context, svc Service) error {
	return s.putService(ctx, "service.ensure", svc, false)
}

func (s *Store) putService(ctx context.Context, action string, svc Service, setEnabled bool) error {
	if err := checkService(svc); err != nil {
		return err
	}
	detail := map[string]any{"bb": svc.BB, "grpcAddr": svc.GRPCAddr, "enabled": svc.Enabled, "methods": len(svc.Methods)}
	return s.change(ctx, action, svc.Key(), detail, func(tx pgx.Tx) error {
		provider, err := upsertSubsystem(ctx, tx, svc.Provider)
		if err != nil {
			return err
		}
		var openapi *string
		if svc.OpenAPI != nil {
			doc := string(svc.OpenAPI)
			openapi = &doc
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO im_service (provider_id, code, bb, grpc_addr, openapi, enabled)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (provider_id, code) DO UPDATE SET
				bb = CASE WHEN EXCLUDED.bb = '' THEN im_service.bb ELSE EXCLUDED.bb END,
				grpc_addr = CASE WHEN EXCLUDED.grpc_addr = '' THEN im_service.grpc_addr ELSE EXCLUDED.grpc_addr END,
				openapi = coalesce(EXCLUDED.openapi, im_service.openapi),
				enabled = CASE WHEN $7 THEN EXCLUDED.enabled ELSE im_service.enabled END,
				updated_at = now()
			RETURNING id`, provider, svc.Code, svc.BB, svc.GRPCAddr, openapi, svc.Enabled, setEnabled).Scan(&id)
		if err != nil || svc.Methods == nil {
			return err
		}
		return replaceMethods(ctx, tx, id, svc.Methods)
	})
}

func replaceMethods(ctx context.Context, tx pgx.Tx, serviceID int64, methods []Method) error {
	if _, err := tx.Exec(ctx, `DELETE FROM im_service_method WHERE service_id = $1`, serviceID); err != nil {
		return err
	}
	for _, m := range methods {
		if _, err := tx.Exec(ctx, `INSERT INTO im_service_method (service_id, full_name, http_method, path)
			VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, serviceID, m.FullName, m.HTTPMethod, m.Path); err != nil {
			return err
		}
	}
	return nil
}

// SetServiceEnabled enables or disables a service; a disabled service is refused to every client.
func (s *Store) SetServiceEnabled(ctx context.Context, provider imident.Client, code string, enabled bool) error {
	return s.updateService(ctx, "service.enable", provider, code, map[string]bool{"enabled": enabled}, "enabled", enabled)
}

// SetServiceOpenAPI replaces the OpenAPI description getOpenAPI serves for a service.
func (s *Store) SetServiceOpenAPI(ctx context.Context, provider imident.Client, code string, doc []byte) error {
	return s.updateService(ctx, "service.openapi", provider, code, map[string]int{"bytes": len(doc)}, "openapi", string(doc))
}

// updateService sets one column of a registered service (with its audit record); NotFound when there is no
// such service.
func (s *Store) updateService(ctx context.Context, action string, provider imident.Client, code string, detail any,
	column string, value any) error {
	return s.change(ctx, action, provider.String()+"/"+code, detail, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE im_service sv SET `+column+` = $6, updated_at = now()
			FROM im_subsystem s, im_member m
			WHERE sv.provider_id = s.id AND s.member_id = m.id
			  AND m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4 AND sv.code = $5`,
			provider.Instance, provider.Class, provider.Member, provider.Subsystem, code, value)
		if err == nil && tag.RowsAffected() == 0 {
			return unknownService(provider, code)
		}
		return err
	})
}

// ErrUnknownService is wrapped by the NotFound errors about a service that is not registered.
var ErrUnknownService = errors.New("unknown service")

func unknownService(provider imident.Client, code string) error {
	return apierr.Wrap(apierr.KindNotFound, "UNKNOWN_SERVICE",
		"no service "+code+" is registered for provider "+provider.String(), ErrUnknownService)
}

const serviceColumns = `sv.id, m.instance, m.class, m.code, s.code, sv.code, sv.bb, sv.grpc_addr, sv.enabled,
	coalesce((SELECT array_agg(ARRAY[full_name, http_method, path] ORDER BY full_name, path, http_method)
		FROM im_service_method WHERE service_id = sv.id), '{}')`

const serviceFrom = ` FROM im_service sv JOIN im_subsystem s ON s.id = sv.provider_id JOIN im_member m ON m.id = s.member_id `

func scanService(r pgx.Row) (int64, Service, error) {
	var id int64
	var svc Service
	var methods [][]string
	err := r.Scan(&id, &svc.Provider.Instance, &svc.Provider.Class, &svc.Provider.Member, &svc.Provider.Subsystem,
		&svc.Code, &svc.BB, &svc.GRPCAddr, &svc.Enabled, &methods)
	svc.Methods = []Method{}
	for _, m := range methods {
		svc.Methods = append(svc.Methods, Method{FullName: m[0], HTTPMethod: m[1], Path: m[2]})
	}
	return id, svc, err
}

// GetService returns one service (without its OpenAPI document); NotFound wrapping ErrUnknownService when it
// is not registered.
func (s *Store) GetService(ctx context.Context, provider imident.Client, code string) (Service, error) {
	_, svc, err := scanService(s.q(ctx).QueryRow(ctx, `SELECT `+serviceColumns+serviceFrom+`
		WHERE m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4 AND sv.code = $5`,
		provider.Instance, provider.Class, provider.Member, provider.Subsystem, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return Service{}, unknownService(provider, code)
	}
	return svc, mapErr(err)
}

// ListServices returns the services of a provider (all providers when provider is zero), without OpenAPI.
func (s *Store) ListServices(ctx context.Context, provider imident.Client) ([]Service, error) {
	rows, err := s.q(ctx).Query(ctx, `SELECT `+serviceColumns+serviceFrom+`
		WHERE $5 OR (m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4)
		ORDER BY m.instance, m.class, m.code, s.code, sv.code`,
		provider.Instance, provider.Class, provider.Member, provider.Subsystem, provider.IsZero())
	if err != nil {
		return nil, mapErr(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Service, error) {
		_, svc, err := scanService(r)
		return svc, err
	})
	return out, mapErr(err)
}

// OpenAPI returns a service's OpenAPI document; NotFound (ErrUnknownService) for an unknown service, and
// NotFound "NO_OPENAPI" when the service has none.
func (s *Store) OpenAPI(ctx context.Context, provider imident.Client, code string) ([]byte, error) {
	var doc *string
	err := s.q(ctx).QueryRow(ctx, `SELECT sv.openapi`+serviceFrom+`
		WHERE m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4 AND sv.code = $5`,
		provider.Instance, provider.Class, provider.Member, provider.Subsystem, code).Scan(&doc)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, unknownService(provider, code)
	case err != nil:
		return nil, mapErr(err)
	case doc == nil:
		return nil, apierr.NotFound("NO_OPENAPI", "service "+provider.String()+"/"+code+" has no OpenAPI description")
	}
	return []byte(*doc), nil
}

// SubsystemExists reports whether c is registered.
func (s *Store) SubsystemExists(ctx context.Context, c imident.Client) (bool, error) {
	_, err := subsystemID(ctx, s.q(ctx), c)
	if apierr.KindOf(err) == apierr.KindNotFound {
		return false, nil
	}
	return err == nil, mapErr(err)
}

func checkRole(role string) error {
	if role != RoleAdmin {
		return apierr.Invalid("UNKNOWN_ROLE", "unknown role "+role+"; the only role is "+RoleAdmin)
	}
	return nil
}

// httpMethods are the verbs a Method's HTTPMethod may hold.
var httpMethods = map[string]bool{http.MethodGet: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodHead: true, http.MethodOptions: true, "": true}
