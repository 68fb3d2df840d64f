// Package api is the Workflow BB's gRPC handlers: each decodes its request, calls the use case and encodes
// the answer. The REST shape (paths, status codes, JSON names) comes from the proto's annotations.
package api

import (
	"context"
	"strconv"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/govstackbb/marketplace/platform/idempotency"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// httpCodeHeader is the response header metadata the gateway turns into the HTTP status.
const httpCodeHeader = "x-http-code"

// setStatus asks the gateway for an HTTP status other than 200 (GovStack's 201 and 204).
func setStatus(ctx context.Context, code int) error {
	return grpc.SetHeader(ctx, metadata.Pairs(httpCodeHeader, strconv.Itoa(code)))
}

// idempotencyKey is the Idempotency-Key the call carries ("" when none).
func idempotencyKey(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	if v := md.Get(idempotency.MetadataKey); len(v) > 0 {
		return v[0]
	}
	return ""
}

// bpmnCode is the processBody code of a BPMN document.
const bpmnCode = "bpmn20-xml"

func processPB(d domain.Definition, withBody bool) *workflowv1.Process {
	pd := &workflowv1.ProcessDefinition{Name: d.Name, Type: d.Type, Version: strconv.Itoa(d.Version), IsExecutable: true,
		IsClosed: d.IsClosed, Description: d.Description}
	if withBody {
		pd.ProcessBody = []*workflowv1.Property{{Code: bpmnCode, Value: structpb.NewStringValue(d.XML)}}
	}
	return &workflowv1.Process{Id: d.ID, ProcessDefinition: pd, Key: d.Key, VersionNumber: int32(d.Version), Enabled: d.Enabled,
		VersionTag: d.VersionTag, DeployedAt: timestamppb.New(d.DeployedAt), DeployedBy: d.DeployedBy, Category: d.Category,
		StartEvents: d.StartEvents}
}

func startedPB(i domain.Instance) *workflowv1.StartedInstance {
	return &workflowv1.StartedInstance{Id: i.ID, ProcessRef: i.DefinitionID, Suspended: i.Suspended, Ended: i.Ended(),
		State: string(i.ShownState())}
}

func instancePB(i domain.Instance, withVars bool) (*workflowv1.ProcessInstance, error) {
	out := &workflowv1.ProcessInstance{Id: i.ID, ProcessRef: i.DefinitionID, InitTime: rfc3339(i.StartedAt), State: string(i.ShownState()),
		LastChangeTime: rfc3339(i.UpdatedAt), ProcessId: i.ProcessKey, Version: int32(i.Version), BusinessKey: i.BusinessKey,
		Suspended: i.Suspended, Ended: i.Ended(), ParentInstanceId: i.ParentID, ErrorCode: i.ErrorCode,
		OpenIncidents: int32(i.OpenIncidents), StartedBy: i.StartedBy}
	if i.EndedAt != nil {
		out.EndTime = rfc3339(*i.EndedAt)
	}
	if i.Doc != nil {
		out.WaitingAt = i.Doc.ElementsWaiting()
	}
	if withVars {
		vars, err := toStruct(app.RootVariables(i))
		if err != nil {
			return nil, err
		}
		out.Variables = vars
	}
	return out, nil
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// toStruct turns variables into a Struct; values JSON cannot carry are refused by structpb.
func toStruct(m map[string]any) (*structpb.Struct, error) {
	if m == nil {
		m = map[string]any{}
	}
	return structpb.NewStruct(m)
}

// fromStruct is a request's variables (nil for none).
func fromStruct(s *structpb.Struct) map[string]any {
	if s == nil {
		return nil
	}
	return s.AsMap()
}

func jobPB(j app.ActivatedJob) (*workflowv1.Job, error) {
	vars, err := toStruct(j.Variables)
	if err != nil {
		return nil, err
	}
	out := jobRowPB(j.Job)
	out.Variables = vars
	return out, nil
}

func jobRowPB(j domain.Job) *workflowv1.Job {
	out := &workflowv1.Job{Key: j.ID, Type: j.Type, ProcessInstanceId: j.InstanceID, ProcessId: j.ProcessKey, ElementId: j.ElementID,
		Retries: int32(j.Retries), CustomHeaders: j.Headers, Worker: j.Worker, LeaseEpoch: int32(j.Epoch)}
	if j.LeaseUntil != nil {
		out.Deadline = timestamppb.New(*j.LeaseUntil)
	}
	return out
}

func taskPB(t domain.UserTask, vars map[string]any, detail bool) (*workflowv1.UserTask, error) {
	out := &workflowv1.UserTask{Id: t.ID, Name: t.Name, ProcessInstanceId: t.InstanceID, ProcessId: t.ProcessKey, ElementId: t.ElementID,
		State: t.State, Assignee: t.Assignee, CandidateGroups: t.CandidateGroups, CandidateUsers: t.CandidateUsers, FormKey: t.FormKey,
		CreatedAt: timestamppb.New(t.CreatedAt), DueDate: tsOrNil(t.DueAt), FollowUpDate: tsOrNil(t.FollowUpAt), CompletedAt: tsOrNil(t.CompletedAt)}
	if !detail {
		return out, nil
	}
	var err error
	if t.Form != nil {
		if out.Form, err = toStruct(t.Form); err != nil {
			return nil, err
		}
	}
	if out.Variables, err = toStruct(vars); err != nil {
		return nil, err
	}
	return out, nil
}

func tsOrNil(t *time.Time) *timestamppb.Timestamp {
	if t == nil {
		return nil
	}
	return timestamppb.New(*t)
}

func incidentPB(i domain.Incident) *workflowv1.Incident {
	state := "resolved"
	if i.Open {
		state = "open"
	}
	return &workflowv1.Incident{Id: i.ID, ProcessInstanceId: i.InstanceID, ProcessId: i.ProcessKey, ElementId: i.ElementID, Kind: i.Kind,
		Message: i.Message, State: state, JobKey: i.JobID, CreatedAt: timestamppb.New(i.CreatedAt), ResolvedAt: tsOrNil(i.ResolvedAt)}
}

func historyPB(h domain.HistoryEntry) (*workflowv1.HistoryEntry, error) {
	detail, err := toStruct(h.Detail)
	if err != nil {
		return nil, err
	}
	return &workflowv1.HistoryEntry{Seq: h.Seq, At: timestamppb.New(h.At), Kind: h.Kind, ElementId: h.ElementID, User: h.Actor,
		Client: h.Client, Detail: detail}, nil
}

// millis is a duration given in ms.
func millis(ms int32) time.Duration { return time.Duration(ms) * time.Millisecond }
