package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/jackc/pgx/v5"
)

// Subject is who a right is granted to: one subsystem, or a group (set Group, leave Client zero).
type Subject struct {
	Client imident.Client
	Group  string
}

// String returns the subsystem identifier or "group:<code>".
func (s Subject) String() string {
	if s.Group != "" {
		return "group:" + s.Group
	}
	return s.Client.String()
}

// ServiceRef names a service: a provider subsystem and a service code.
type ServiceRef struct {
	Provider imident.Client
	Code     string
}

// String returns "INSTANCE/CLASS/MEMBER/SUBSYSTEM/CODE".
func (r ServiceRef) String() string { return r.Provider.String() + "/" + r.Code }

// Ref returns the service's ServiceRef.
func (s Service) Ref() ServiceRef { return ServiceRef{Provider: s.Provider, Code: s.Code} }

func checkSubject(sub Subject) error {
	switch {
	case sub.Group != "" && !sub.Client.IsZero():
		return apierr.Invalid("INVALID_SUBJECT", "a right goes to one subsystem or one group, not both")
	case sub.Group != "":
		return checkSegments("group", [2]string{"group", sub.Group})
	}
	return checkClient(sub.Client)
}

// Allow grants subject the endpoints of a service ("*" or no endpoints = the whole service). Granting an
// existing right again is a no-op. The subject, the service, and (when the service lists its methods) each
// endpoint must exist.
func (s *Store) Allow(ctx context.Context, sub Subject, svc ServiceRef, endpoints ...string) error {
	return s.changeRights(ctx, "rights.allow", sub, svc, endpoints, func(tx pgx.Tx, serviceID, subsystem, group int64, endpoint string) error {
		_, err := tx.Exec(ctx, `INSERT INTO im_access_right (service_id, subsystem_id, group_id, endpoint)
			VALUES ($1, nullif($2::bigint, 0), nullif($3::bigint, 0), $4) ON CONFLICT DO NOTHING`, serviceID, subsystem, group, endpoint)
		return err
	})
}

// Revoke deletes the grants of subject on the endpoints of a service ("*" or none = the whole-service
// grant only; single-endpoint grants are revoked by naming them). Revoking a right that does not exist is a
// no-op. It takes effect on the next Check. Grants the subject holds through a group are not touched.
func (s *Store) Revoke(ctx context.Context, sub Subject, svc ServiceRef, endpoints ...string) error {
	return s.changeRights(ctx, "rights.revoke", sub, svc, endpoints, func(tx pgx.Tx, serviceID, subsystem, group int64, endpoint string) error {
		_, err := tx.Exec(ctx, `DELETE FROM im_access_right WHERE service_id = $1 AND endpoint = $4
			AND subsystem_id IS NOT DISTINCT FROM nullif($2::bigint, 0) AND group_id IS NOT DISTINCT FROM nullif($3::bigint, 0)`,
			serviceID, subsystem, group, endpoint)
		return err
	})
}

// RevokeAll deletes every grant of subject on a service, whole-service and single endpoints alike.
func (s *Store) RevokeAll(ctx context.Context, sub Subject, svc ServiceRef) error {
	if err := checkSubject(sub); err != nil {
		return err
	}
	return s.change(ctx, "rights.revoke", svc.String(), map[string]any{"subject": sub.String(), "endpoints": "all"}, func(tx pgx.Tx) error {
		serviceID, _, err := serviceID(ctx, tx, svc)
		if err != nil {
			return err
		}
		subsystem, group, err := subjectIDs(ctx, tx, sub)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM im_access_right WHERE service_id = $1
			AND subsystem_id IS NOT DISTINCT FROM nullif($2::bigint, 0) AND group_id IS NOT DISTINCT FROM nullif($3::bigint, 0)`,
			serviceID, subsystem, group)
		return err
	})
}

type rightFunc func(tx pgx.Tx, serviceID, subsystem, group int64, endpoint string) error

func (s *Store) changeRights(ctx context.Context, action string, sub Subject, svc ServiceRef, endpoints []string, fn rightFunc) error {
	if err := checkSubject(sub); err != nil {
		return err
	}
	if len(endpoints) == 0 {
		endpoints = []string{Everything}
	}
	for _, e := range endpoints {
		if err := checkEndpoint(e); err != nil {
			return err
		}
	}
	detail := map[string]any{"subject": sub.String(), "endpoints": endpoints}
	return s.change(ctx, action, svc.String(), detail, func(tx pgx.Tx) error {
		serviceID, methods, err := serviceID(ctx, tx, svc)
		if err != nil {
			return err
		}
		subsystem, group, err := subjectIDs(ctx, tx, sub)
		if err != nil {
			return err
		}
		for _, e := range endpoints {
			if e != Everything && e != imident.PersonalDataEndpoint && len(methods) > 0 && !slices.Contains(methods, e) {
				return apierr.Invalid("UNKNOWN_ENDPOINT", fmt.Sprintf("service %s has no endpoint %s; GET …/listMethods shows its endpoints", svc, e))
			}
			if err := fn(tx, serviceID, subsystem, group, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// serviceID finds a service and the full names of its methods.
func serviceID(ctx context.Context, q pgxQuerier, svc ServiceRef) (int64, []string, error) {
	var id int64
	var methods []string
	err := q.QueryRow(ctx, `SELECT sv.id, coalesce((SELECT array_agg(DISTINCT full_name) FROM im_service_method
			WHERE service_id = sv.id), '{}')`+serviceFrom+`
		WHERE m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4 AND sv.code = $5`,
		svc.Provider.Instance, svc.Provider.Class, svc.Provider.Member, svc.Provider.Subsystem, svc.Code).Scan(&id, &methods)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil, unknownService(svc.Provider, svc.Code)
	}
	return id, methods, err
}

// subjectIDs resolves a subject to (subsystem id, 0) or (0, group id).
func subjectIDs(ctx context.Context, q pgxQuerier, sub Subject) (int64, int64, error) {
	if sub.Group == "" {
		id, err := subsystemID(ctx, q, sub.Client)
		return id, 0, err
	}
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM im_group WHERE code = $1`, sub.Group).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, apierr.NotFound("UNKNOWN_GROUP", "group "+sub.Group+" does not exist; create it first")
	}
	return 0, id, err
}
