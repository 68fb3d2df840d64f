// Package events is the Workflow BB's event contract: it encodes the domain events the BB publishes into
// outbox events — the type (also the NATS subject on stream GOVSTACK_WORKFLOW) from
// proto/govstack/workflow/v1/event_types.go and the protobuf payload. Its consumer of other BBs' events
// (messages from NATS) is in consumer.go.
package events

import (
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/govstackbb/marketplace/platform/outbox"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// Source is the CloudEvents source of every event of this BB.
const Source = "govstack/workflow"

// Encode returns the outbox event of ev.
func Encode(ev domain.Event) (outbox.Event, error) {
	switch ev := ev.(type) {
	case domain.InstanceStarted:
		return event(workflowv1.EventInstanceStarted, ev.Instance.ID, instance(ev.Instance, ev.At)), nil
	case domain.InstanceEnded:
		typ := map[domain.InstanceState]string{domain.StateCompleted: workflowv1.EventInstanceCompleted,
			domain.StateFailed: workflowv1.EventInstanceFailed, domain.StateStopped: workflowv1.EventInstanceCancelled}[ev.Instance.State]
		if typ == "" {
			return outbox.Event{}, fmt.Errorf("events: an instance cannot end %q", ev.Instance.State)
		}
		return event(typ, ev.Instance.ID, instance(ev.Instance, ev.At)), nil
	case domain.TaskCreated:
		return event(workflowv1.EventTaskCreated, ev.Task.ID, task(ev.Task, "", ev.At)), nil
	case domain.TaskAssigned:
		return event(workflowv1.EventTaskAssigned, ev.Task.ID, task(ev.Task, ev.By, ev.At)), nil
	case domain.TaskCompleted:
		return event(workflowv1.EventTaskCompleted, ev.Task.ID, task(ev.Task, ev.By, ev.At)), nil
	case domain.IncidentRaised:
		return event(workflowv1.EventIncidentRaised, ev.Incident.ID, incident(ev.Incident, ev.At)), nil
	case domain.IncidentResolved:
		return event(workflowv1.EventIncidentResolved, ev.Incident.ID, incident(ev.Incident, ev.At)), nil
	case domain.ProcessNotified:
		vars, err := structpb.NewStruct(ev.Variables)
		if err != nil {
			return outbox.Event{}, fmt.Errorf("events: the variables of %s: %w", ev.Name, err)
		}
		return event(workflowv1.EventProcessNotified, ev.InstanceID, &workflowv1.ProcessEvent{Name: ev.Name, InstanceId: ev.InstanceID,
			ProcessId: ev.ProcessKey, ElementId: ev.ElementID, Variables: vars, At: timestamppb.New(ev.At)}), nil
	}
	return outbox.Event{}, fmt.Errorf("events: %T is not an event the Workflow BB publishes", ev)
}

func event(typ, subject string, payload proto.Message) outbox.Event {
	return outbox.Event{Type: typ, Source: Source, Subject: subject, Payload: payload}
}

func instance(i domain.Instance, at time.Time) *workflowv1.InstanceEvent {
	return &workflowv1.InstanceEvent{InstanceId: i.ID, ProcessId: i.ProcessKey, Version: int32(i.Version), BusinessKey: i.BusinessKey,
		State: string(i.State), ErrorCode: i.ErrorCode, At: timestamppb.New(at), ParentInstanceId: i.ParentID}
}

func task(t domain.UserTask, by string, at time.Time) *workflowv1.TaskEvent {
	e := &workflowv1.TaskEvent{TaskId: t.ID, Name: t.Name, InstanceId: t.InstanceID, ProcessId: t.ProcessKey, ElementId: t.ElementID,
		Assignee: t.Assignee, CandidateGroups: t.CandidateGroups, At: timestamppb.New(at), By: by}
	if t.DueAt != nil {
		e.DueDate = timestamppb.New(*t.DueAt)
	}
	return e
}

func incident(i domain.Incident, at time.Time) *workflowv1.IncidentEvent {
	return &workflowv1.IncidentEvent{IncidentId: i.ID, InstanceId: i.InstanceID, ProcessId: i.ProcessKey, ElementId: i.ElementID,
		Kind: i.Kind, Message: i.Message, At: timestamppb.New(at)}
}
