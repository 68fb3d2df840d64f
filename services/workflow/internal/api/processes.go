package api

import (
	"context"
	"net/http"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// Processes implements ProcessService.
type Processes struct {
	workflowv1.UnimplementedProcessServiceServer
	app *app.Service
}

// NewProcesses returns the ProcessService on a.
func NewProcesses(a *app.Service) *Processes { return &Processes{app: a} }

// ListProcesses lists processes.
func (p *Processes) ListProcesses(ctx context.Context, r *workflowv1.ListProcessesRequest) (*workflowv1.ListProcessesResponse, error) {
	ds, err := p.app.Processes(ctx, r.GetAll())
	if err != nil {
		return nil, err
	}
	out := &workflowv1.ListProcessesResponse{Processes: make([]*workflowv1.Process, 0, len(ds))}
	for _, d := range ds {
		out.Processes = append(out.Processes, processPB(d, false))
	}
	return out, nil
}

// AddProcess deploys processBody (201).
func (p *Processes) AddProcess(ctx context.Context, r *workflowv1.AddProcessRequest) (*workflowv1.AddProcessResponse, error) {
	xml, err := bpmnOf(r.GetProcessBody())
	if err != nil {
		return nil, err
	}
	d, err := p.deploy(ctx, app.DeployInput{XML: xml, Name: r.GetName(), Type: r.GetType(), Description: r.GetDescription(),
		VersionTag: r.GetVersion(), IsClosed: r.GetIsClosed(), Disabled: r.GetDisabled(), Field: "processBody"})
	if err != nil {
		return nil, err
	}
	return &workflowv1.AddProcessResponse{Process: d}, nil
}

// DeployProcessXml deploys a plain BPMN document (201).
func (p *Processes) DeployProcessXml(ctx context.Context, r *workflowv1.DeployProcessXmlRequest) (*workflowv1.DeployProcessXmlResponse, error) {
	d, err := p.deploy(ctx, app.DeployInput{XML: r.GetBpmnXml(), VersionTag: r.GetVersion(), Disabled: r.GetDisabled(), Field: "bpmnXml"})
	if err != nil {
		return nil, err
	}
	return &workflowv1.DeployProcessXmlResponse{Process: d}, nil
}

func (p *Processes) deploy(ctx context.Context, in app.DeployInput) (*workflowv1.Process, error) {
	ds, err := p.app.Deploy(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := setStatus(ctx, http.StatusCreated); err != nil {
		return nil, err
	}
	return processPB(ds[0], false), nil
}

// bpmnOf finds the BPMN document in a processBody.
func bpmnOf(body []*workflowv1.Property) (string, error) {
	for _, prop := range body {
		if strings.EqualFold(prop.GetCode(), bpmnCode) {
			s, ok := prop.GetValue().GetKind().(*structpb.Value_StringValue)
			if !ok {
				return "", domain.Invalid("processBody", `the "bpmn20-xml" value must be the XML document as a string`)
			}
			return s.StringValue, nil
		}
	}
	return "", domain.Invalid("processBody", `required: [{"code": "bpmn20-xml", "value": "<definitions …>"}], the BPMN 2.0 XML a modeler saves`)
}

// GetProcess returns a process with its BPMN document.
func (p *Processes) GetProcess(ctx context.Context, r *workflowv1.GetProcessRequest) (*workflowv1.GetProcessResponse, error) {
	d, err := p.app.Process(ctx, r.GetProcessId())
	if err != nil {
		return nil, err
	}
	return &workflowv1.GetProcessResponse{Process: processPB(d, true)}, nil
}

// UpdateProcess enables, disables or deploys a new version (204).
func (p *Processes) UpdateProcess(ctx context.Context, r *workflowv1.UpdateProcessRequest) (*workflowv1.UpdateProcessResponse, error) {
	in := app.UpdateInput{ID: r.GetProcessId()}
	if r.Enabled != nil {
		in.Enabled = r.Enabled
	}
	if len(r.GetProcessBody()) > 0 {
		xml, err := bpmnOf(r.GetProcessBody())
		if err != nil {
			return nil, err
		}
		in.Deploy = &app.DeployInput{XML: xml, Description: r.GetDescription(), Field: "processBody"}
	}
	d, err := p.app.UpdateProcess(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := setStatus(ctx, http.StatusNoContent); err != nil {
		return nil, err
	}
	return &workflowv1.UpdateProcessResponse{Process: processPB(d, false)}, nil
}

// DeleteProcess deletes a version or a process.
func (p *Processes) DeleteProcess(ctx context.Context, r *workflowv1.DeleteProcessRequest) (*workflowv1.DeleteProcessResponse, error) {
	if err := p.app.DeleteProcess(ctx, r.GetProcessId()); err != nil {
		return nil, err
	}
	return &workflowv1.DeleteProcessResponse{}, nil
}

// StartProcess starts an instance (201).
func (p *Processes) StartProcess(ctx context.Context, r *workflowv1.StartProcessRequest) (*workflowv1.StartProcessResponse, error) {
	vars := map[string]any{}
	for _, props := range [][]*workflowv1.Property{r.GetInstanceValuesLegacy(), r.GetInstanceValues()} {
		for _, prop := range props {
			if strings.TrimSpace(prop.GetCode()) == "" {
				return nil, domain.Invalid("instanceValues", "every value needs a code: the variable's name")
			}
			vars[prop.GetCode()] = prop.GetValue().AsInterface()
		}
	}
	for k, v := range fromStruct(r.GetVariables()) {
		vars[k] = v
	}
	inst, err := p.app.Start(ctx, app.StartInput{ProcessID: r.GetProcessId(), Vars: vars, StartedBy: r.GetProcessStartedBy(),
		BusinessKey: r.GetBusinessKey(), IdempotencyKey: idempotencyKey(ctx)})
	if err != nil {
		return nil, err
	}
	if err := setStatus(ctx, http.StatusCreated); err != nil {
		return nil, err
	}
	return &workflowv1.StartProcessResponse{Instance: startedPB(inst)}, nil
}
