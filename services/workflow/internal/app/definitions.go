package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
)

// maxBPMNBytes bounds a deployed document.
const maxBPMNBytes = 4 << 20

// DeployInput is a BPMN document to deploy and what GovStack's ProcessDefinition says about it.
type DeployInput struct {
	XML         string
	Name        string
	Type        string
	Description string
	VersionTag  string
	IsClosed    bool
	Disabled    bool
	// Field names the request field the document came in, for error messages (processBody, bpmnXml).
	Field string
}

// Deploy adds a new version of every executable process in the document and returns them, in document
// order. A document the engine cannot run is refused whole, naming every problem.
func (s *Service) Deploy(ctx context.Context, in DeployInput) ([]domain.Definition, error) {
	if err := requireAdmin(ctx, "deploying a process"); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.XML) == "" {
		return nil, domain.Invalid(in.Field, `required: the BPMN 2.0 XML document ({"code": "bpmn20-xml", "value": "<definitions …>"})`)
	}
	if len(in.XML) > maxBPMNBytes {
		return nil, domain.Invalid(in.Field, fmt.Sprintf("the document is larger than %d bytes", maxBPMNBytes))
	}
	if in.Type != "" && in.Type != "None" && in.Type != "Private" && in.Type != "Public" {
		return nil, domain.Invalid("type", "must be None, Private or Public (got "+quote(in.Type)+")")
	}
	defs, err := bpmn.Parse([]byte(in.XML), s.checks)
	if err != nil {
		return nil, bpmnError(in.Field, err)
	}
	a := actorOf(ctx)
	var out []domain.Definition
	err = s.inTx(ctx, func(r *run) error {
		out = out[:0]
		for _, p := range defs.Processes {
			d, err := r.deploy(p, in, defs, a)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// deploy stores one process as its key's next version and, when enabled, makes its start events the key's.
func (r *run) deploy(p *bpmn.Process, in DeployInput, defs *bpmn.Definitions, a actor) (domain.Definition, error) {
	if err := r.checkForms(p); err != nil {
		return domain.Definition{}, err
	}
	v, err := r.tx.NextVersion(r.ctx, p.ID)
	if err != nil {
		return domain.Definition{}, err
	}
	d := domain.Definition{ID: domain.DefinitionID(p.ID, v, uuid.NewString()), Key: p.ID, Version: v, Name: orText(p.Name, in.Name),
		Type: orText(in.Type, "None"), IsClosed: in.IsClosed, Description: in.Description, VersionTag: orText(in.VersionTag, p.VersionTag),
		Category: defs.ID, XML: in.XML, StartEvents: startEvents(p), Enabled: !in.Disabled, DeployedAt: r.now, DeployedBy: a.name()}
	if err := r.tx.InsertDefinition(r.ctx, d); err != nil {
		return domain.Definition{}, err
	}
	if err := r.tx.AppendHistory(r.ctx, domain.HistoryEntry{DefinitionID: d.ID, At: r.now, Kind: "process.deployed",
		Actor: a.user, Client: a.client, Detail: map[string]any{"key": d.Key, "version": d.Version, "enabled": d.Enabled}}); err != nil {
		return domain.Definition{}, err
	}
	if d.Enabled {
		return d, r.refreshStarts(p.ID)
	}
	return d, nil
}

// checkForms refuses user tasks naming a deployed form that does not exist: deploy the form first.
func (r *run) checkForms(p *bpmn.Process) error {
	for _, el := range p.Elements {
		if el.Assignment == nil || el.Assignment.FormID == "" {
			continue
		}
		if _, err := r.tx.FormIn(r.ctx, el.Assignment.FormID); apierr.KindOf(err) == apierr.KindNotFound {
			return apierr.Invalid(domain.ReasonFormNotFound, fmt.Sprintf("%s (line %d): form %q is not deployed: PUT /forms/%s first",
				el.ID, el.Line, el.Assignment.FormID, el.Assignment.FormID),
				apierr.FieldViolation{Field: "processBody", Description: el.ID + ": form " + el.Assignment.FormID + " is not deployed"})
		} else if err != nil {
			return err
		}
	}
	return nil
}

// startEvents describes how a process starts, for the API.
func startEvents(p *bpmn.Process) []string {
	var out []string
	root := p.Root()
	if root.NoneStart != "" {
		out = append(out, "none")
	}
	for _, id := range root.EventStarts {
		el := p.Elements[id]
		switch el.Event {
		case bpmn.EventTimer:
			out = append(out, "timer:"+el.Timer.Value)
		case bpmn.EventMessage:
			out = append(out, "message:"+el.Message.Name)
		}
	}
	return out
}

// refreshStarts makes the timer and message start events of key those of its latest enabled version: a new
// version's replace the old one's; a disabled or deleted process has none.
func (r *run) refreshStarts(key string) error {
	d, err := r.tx.LatestDefinitionIn(r.ctx, key, true)
	if apierr.KindOf(err) == apierr.KindNotFound {
		return r.tx.ReplaceStarts(r.ctx, key, nil, nil, nil)
	}
	if err != nil {
		return err
	}
	p, err := r.s.model(d)
	if err != nil {
		return err
	}
	var timers []Timer
	var messages []MessageStart
	for _, id := range p.Root().EventStarts {
		el := p.Elements[id]
		switch el.Event {
		case bpmn.EventTimer:
			due, ok, err := r.s.startTimerDue(el, r.now, 0)
			if err != nil {
				return apierr.Invalid(domain.ReasonInvalidBPMN, fmt.Sprintf("%s (line %d): the start timer: %v", el.ID, el.Line, err))
			}
			if ok {
				timers = append(timers, Timer{ID: newID(), DefinitionID: d.ID, ElementID: el.ID, DueAt: due})
				r.scheduled = true
			}
		case bpmn.EventMessage:
			messages = append(messages, MessageStart{Name: el.Message.Name, DefinitionID: d.ID, ElementID: el.ID})
		}
	}
	return r.tx.ReplaceStarts(r.ctx, key, &d, timers, messages)
}

// bpmnError is a deploy refused for the document's problems: a 400 with one field violation per problem.
func bpmnError(field string, err error) error {
	var perr *bpmn.Error
	if !errors.As(err, &perr) {
		return err
	}
	vs := make([]apierr.FieldViolation, len(perr.Problems))
	for i, p := range perr.Problems {
		vs[i] = apierr.FieldViolation{Field: field, Description: p.String()}
	}
	return apierr.Invalid(domain.ReasonInvalidBPMN, perr.Error(), vs...)
}

func errNoProcess(d domain.Definition) error {
	return apierr.New(apierr.KindInternal, "NO_PROCESS", "definition "+d.ID+" holds no process "+d.Key)
}

func orText(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

func quote(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return fmt.Sprintf("%q", s)
}
