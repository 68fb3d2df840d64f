package workflowv1

// The events the Workflow BB publishes — each also the NATS subject on stream GOVSTACK_WORKFLOW. Written by
// hand next to events.proto; the BB and its consumers use these.
const (
	EventInstanceStarted   = "govstack.workflow.v1.instance.started"
	EventInstanceCompleted = "govstack.workflow.v1.instance.completed"
	EventInstanceFailed    = "govstack.workflow.v1.instance.failed"
	EventInstanceCancelled = "govstack.workflow.v1.instance.cancelled"
	EventTaskCreated       = "govstack.workflow.v1.task.created"
	EventTaskAssigned      = "govstack.workflow.v1.task.assigned"
	EventTaskCompleted     = "govstack.workflow.v1.task.completed"
	EventIncidentRaised    = "govstack.workflow.v1.incident.raised"
	EventIncidentResolved  = "govstack.workflow.v1.incident.resolved"
	EventProcessNotified   = "govstack.workflow.v1.process.notified"
)

// Events are all of them.
var Events = []string{EventInstanceStarted, EventInstanceCompleted, EventInstanceFailed, EventInstanceCancelled,
	EventTaskCreated, EventTaskAssigned, EventTaskCompleted, EventIncidentRaised, EventIncidentResolved,
	EventProcessNotified}
