// Package api is the gRPC face of the Digital Registries BB: each handler decodes its request, calls one
// use case of internal/app and encodes the answer. Errors travel as apierr values; the grpcerr interceptor
// turns them into statuses.
package api

import (
	"github.com/govstackbb/marketplace/platform/apierr"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/govstackbb/marketplace/services/registries/internal/domain"
)

// contentOf returns the JSON object s carries, or nil when the caller did not send it at all (AsMap would
// turn a missing object into an empty one, and the use cases tell the two apart).
func contentOf(s *structpb.Struct) map[string]any {
	if s == nil {
		return nil
	}
	return s.AsMap()
}

// toStruct encodes a stored JSON object. Stored content came from JSON, so failure is a bug, not a caller's
// mistake: it is an internal error.
func toStruct(m map[string]any) (*structpb.Struct, error) {
	s, err := structpb.NewStruct(m)
	if err != nil {
		return nil, apierr.Wrap(apierr.KindInternal, "ENCODING", "cannot encode record", err)
	}
	return s, nil
}

func toStructs(recs []domain.Record) ([]*structpb.Struct, error) {
	out := make([]*structpb.Struct, 0, len(recs))
	for _, r := range recs {
		s, err := toStruct(r.Content)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func toDatabase(r domain.Registry) (*registriesv1.Database, error) {
	schema, err := toStruct(r.Schema)
	if err != nil {
		return nil, err
	}
	return &registriesv1.Database{
		Id: r.ID, Name: r.Name, Version: r.Version, Code: r.Code, Description: r.Description,
		Institution: r.Institution, GroupName: r.GroupName, CatalogName: r.CatalogName, Schema: schema,
		IsDraft: r.IsDraft, IsDisabled: r.IsDisabled, IsArchived: r.IsArchived,
		ModifiedAt: timestamppb.New(r.ModifiedAt), ByUserName: r.ModifiedBy, RecordCount: r.RecordCount,
		PrimaryKey: r.PrimaryKey, PersonIdField: r.PersonIDField,
	}, nil
}

// toDatabases converts registries in the order the store returned them (sorted by group, name, version).
func toDatabases(regs []domain.Registry) ([]*registriesv1.Database, error) {
	out := make([]*registriesv1.Database, 0, len(regs))
	for _, r := range regs {
		db, err := toDatabase(r)
		if err != nil {
			return nil, err
		}
		out = append(out, db)
	}
	return out, nil
}

func toUsage(u domain.Usage) *registriesv1.PersonalDataUsage {
	refs := make([]*registriesv1.PersonalDataReference, 0, len(u.RecordIDs))
	for _, id := range u.RecordIDs {
		refs = append(refs, &registriesv1.PersonalDataReference{ReferenceId: id})
	}
	return &registriesv1.PersonalDataUsage{
		Id: u.ID, ReaderId: u.Reader.ID, ReaderInstitutionId: u.Reader.Member,
		ReaderApplicationName: u.Reader.Subsystem, SearchDateTime: timestamppb.New(u.ReadAt),
		References: refs, DatabaseId: u.RegistryName + "/" + u.RegistryVersion, Operation: u.Operation,
	}
}
