package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// Processes lists the latest enabled version of each process; all (administrators) lists every version,
// disabled ones too.
func (s *Service) Processes(ctx context.Context, all bool) ([]domain.Definition, error) {
	if all {
		if err := requireAdmin(ctx, "listing disabled processes"); err != nil {
			return nil, err
		}
	}
	return s.store.Definitions(ctx, all)
}

// Process returns a version by its definition id, or the latest enabled version of a BPMN process id.
func (s *Service) Process(ctx context.Context, id string) (domain.Definition, error) {
	if id == "" {
		return domain.Definition{}, domain.Invalid("processId", "required")
	}
	var d domain.Definition
	var err error
	if domain.LooksLikeDefinitionID(id) {
		d, err = s.store.Definition(ctx, id)
		if err == nil && d.Deleted {
			err = apierr.NotFound(domain.ReasonProcessNotFound, "process "+id+" was deleted")
		}
	} else {
		d, err = s.store.LatestDefinition(ctx, id, true)
	}
	if apierr.KindOf(err) == apierr.KindNotFound {
		return d, apierr.NotFound(domain.ReasonProcessNotFound, "no enabled process "+quote(id)+" (a BPMN process id, or a definition id key:version:uuid)")
	}
	return d, err
}

// UpdateInput changes a process: enable or disable a version, or deploy a new version of it.
type UpdateInput struct {
	ID      string
	Enabled *bool
	Deploy  *DeployInput
}

// UpdateProcess applies in and returns the version it concerns (the new one when it deployed one).
func (s *Service) UpdateProcess(ctx context.Context, in UpdateInput) (domain.Definition, error) {
	if err := requireAdmin(ctx, "changing a process"); err != nil {
		return domain.Definition{}, err
	}
	d, err := s.anyVersion(ctx, in.ID)
	if err != nil {
		return d, err
	}
	if in.Deploy != nil {
		defs, err := s.Deploy(ctx, *in.Deploy)
		if err != nil {
			return d, err
		}
		for _, nd := range defs {
			if nd.Key == d.Key {
				return nd, nil
			}
		}
		return d, domain.Invalid("processBody", "the document has no process "+d.Key+": it would not be a new version of this process")
	}
	if in.Enabled == nil {
		return d, nil
	}
	a := actorOf(ctx)
	err = s.inTx(ctx, func(r *run) error {
		if err := r.tx.SetDefinitionState(r.ctx, d.ID, *in.Enabled, false); err != nil {
			return err
		}
		kind := map[bool]string{true: "process.enabled", false: "process.disabled"}[*in.Enabled]
		if err := r.tx.AppendHistory(r.ctx, domain.HistoryEntry{DefinitionID: d.ID, At: r.now, Kind: kind, Actor: a.user, Client: a.client}); err != nil {
			return err
		}
		return r.refreshStarts(d.Key)
	})
	d.Enabled = *in.Enabled
	return d, err
}

// DeleteProcess deletes a version (by definition id) or every version of a process (by BPMN process id):
// they are no longer listed or started; running instances go on.
func (s *Service) DeleteProcess(ctx context.Context, id string) error {
	if err := requireAdmin(ctx, "deleting a process"); err != nil {
		return err
	}
	var versions []domain.Definition
	if domain.LooksLikeDefinitionID(id) {
		d, err := s.anyVersion(ctx, id)
		if err != nil {
			return err
		}
		versions = []domain.Definition{d}
	} else {
		all, err := s.store.Definitions(ctx, true)
		if err != nil {
			return err
		}
		for _, d := range all {
			if d.Key == id {
				versions = append(versions, d)
			}
		}
		if len(versions) == 0 {
			return apierr.NotFound(domain.ReasonProcessNotFound, "no process "+quote(id))
		}
	}
	a := actorOf(ctx)
	return s.inTx(ctx, func(r *run) error {
		for _, d := range versions {
			if err := r.tx.SetDefinitionState(r.ctx, d.ID, false, true); err != nil {
				return err
			}
			if err := r.tx.AppendHistory(r.ctx, domain.HistoryEntry{DefinitionID: d.ID, At: r.now, Kind: "process.deleted", Actor: a.user, Client: a.client}); err != nil {
				return err
			}
		}
		return r.refreshStarts(versions[0].Key)
	})
}

// anyVersion finds a version by definition id, or the latest version (enabled or not) by BPMN process id.
func (s *Service) anyVersion(ctx context.Context, id string) (domain.Definition, error) {
	var d domain.Definition
	var err error
	if domain.LooksLikeDefinitionID(id) {
		d, err = s.store.Definition(ctx, id)
	} else {
		d, err = s.store.LatestDefinition(ctx, id, false)
	}
	if apierr.KindOf(err) == apierr.KindNotFound || (err == nil && d.Deleted) {
		return d, apierr.NotFound(domain.ReasonProcessNotFound, "no process "+quote(id))
	}
	return d, err
}
