package connectors

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/workflow/internal/app"
)

// Scheduling sets deadlines in the Scheduling BB (job type govstack-scheduling-deadline): inputs subject,
// reference, dueAt (RFC 3339) and recipients (e-mail addresses told when it is reached). The result
// variable is deadlineId.
type Scheduling struct {
	Client schedulingv1.DeadlineServiceClient
}

// NewScheduling returns the Scheduling connector on conn (a connection through the IM).
func NewScheduling(conn grpc.ClientConnInterface) *Scheduling {
	return &Scheduling{Client: schedulingv1.NewDeadlineServiceClient(conn)}
}

// Types implements app.Connector.
func (s *Scheduling) Types() []string { return []string{TypeSetDeadline} }

// Do sets the deadline.
func (s *Scheduling) Do(ctx context.Context, job app.ConnectorJob) (app.ConnectorResult, error) {
	due, err := instant(job, "dueAt")
	if err != nil {
		return app.ConnectorResult{}, err
	}
	to, err := list(job, "recipients")
	if err != nil {
		return app.ConnectorResult{}, err
	}
	req := &schedulingv1.SetDeadlineRequest{Subject: text(job, "subject"), Reference: text(job, "reference"), DueAt: timestamppb.New(due)}
	if req.Subject == "" {
		return app.ConnectorResult{}, app.Permanent("subject is required: what the deadline is for")
	}
	for _, a := range to {
		req.Recipients = append(req.Recipients, &schedulingv1.Recipient{Email: a})
	}
	resp, err := s.Client.SetDeadline(withKey(ctx, job), req)
	if err != nil {
		return app.ConnectorResult{}, failure("Scheduling refused the deadline", err)
	}
	return app.ConnectorResult{Variables: map[string]any{"deadlineId": resp.GetDeadline().GetDeadlineId()}}, nil
}

// Registries reads and writes records of the Digital Registries BB: govstack-registries-read (inputs
// registry, version (default 1.0) and query; the record goes to the variable the header resultVariable
// names, default "record") and govstack-registries-write (inputs registry, version, query and record:
// the record matching the query is updated, or created; the result variables are record and created).
type Registries struct {
	Client registriesv1.RegistriesServiceClient
}

// NewRegistries returns the Registries connector on conn (a connection through the IM).
func NewRegistries(conn grpc.ClientConnInterface) *Registries {
	return &Registries{Client: registriesv1.NewRegistriesServiceClient(conn)}
}

// Types implements app.Connector.
func (r *Registries) Types() []string { return []string{TypeReadRecord, TypeWriteRecord} }

// Do reads or writes the record.
func (r *Registries) Do(ctx context.Context, job app.ConnectorJob) (app.ConnectorResult, error) {
	registry, version := text(job, "registry"), text(job, "version")
	if registry == "" {
		return app.ConnectorResult{}, app.Permanent("registry is required: the registry's name")
	}
	if version == "" {
		version = defaultRegistryVers
	}
	query, err := structOf(job, "query")
	if err != nil {
		return app.ConnectorResult{}, err
	}
	if job.Type == TypeReadRecord {
		// A read carries no Idempotency-Key: there is nothing to do twice, and no answer (personal data) to keep.
		resp, err := r.Client.ReadRecord(ctx, &registriesv1.ReadRecordRequest{RegistryName: registry, VersionNumber: version,
			Query: &registriesv1.RecordQuery{Content: query}})
		if err != nil {
			return app.ConnectorResult{}, failure("Registries could not read the record", err)
		}
		name := job.Headers["resultVariable"]
		if name == "" {
			name = "record"
		}
		return app.ConnectorResult{Variables: map[string]any{name: resp.GetContent().AsMap()}}, nil
	}
	record, err := structOf(job, "record")
	if err != nil {
		return app.ConnectorResult{}, err
	}
	resp, err := r.Client.UpdateOrCreateRecord(withKey(ctx, job), &registriesv1.UpdateOrCreateRecordRequest{RegistryName: registry,
		VersionNumber: version, Query: &registriesv1.RecordQuery{Content: query}, Write: &registriesv1.RecordWrite{Content: record}})
	if err != nil {
		return app.ConnectorResult{}, failure("Registries could not write the record", err)
	}
	return app.ConnectorResult{Variables: map[string]any{"record": resp.GetContent().AsMap(), "created": resp.GetCreated()}}, nil
}

func structOf(job app.ConnectorJob, name string) (*structpb.Struct, error) {
	m, err := object(job, name)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, app.Permanent("%s is required: an object", name)
	}
	s, err := structpb.NewStruct(m)
	if err != nil {
		return nil, app.Permanent("%s: %v", name, err)
	}
	return s, nil
}
