package gatewayapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The Workflow BB's operator reads (services/workflow/README.md): the status summary, instances, incidents
// and a process's BPMN document. They need a token with the role admin.

// WorkflowStatus is GET /workflow/status.
type WorkflowStatus struct {
	Instances     []InstanceCount `json:"instances"`
	OverdueTimers int             `json:"overdueTimers"`
	OpenIncidents int             `json:"openIncidents"`
}

// InstanceCount is how many instances of a process are in one state.
type InstanceCount struct {
	ProcessID string `json:"processId"`
	State     string `json:"state"`
	Count     int    `json:"count"`
}

// ProcessInstance is one run of a process.
type ProcessInstance struct {
	ID            string   `json:"id"`
	ProcessID     string   `json:"processId"`
	Version       int      `json:"version"`
	State         string   `json:"state"`
	BusinessKey   string   `json:"businessKey"`
	InitTime      string   `json:"initTime"`
	WaitingAt     []string `json:"waitingAt"`
	OpenIncidents int      `json:"openIncidents"`
}

// Incident is a stop in an instance that needs an operator.
type Incident struct {
	ID                string    `json:"id"`
	ProcessInstanceID string    `json:"processInstanceId"`
	ProcessID         string    `json:"processId"`
	ElementID         string    `json:"elementId"`
	Kind              string    `json:"kind"`
	Message           string    `json:"message"`
	State             string    `json:"state"`
	CreatedAt         time.Time `json:"createdAt"`
}

// Process is a deployed process version (ID <key>:<version>:<uuid>); Key is its BPMN process id; BPMN is
// its BPMN 2.0 XML.
type Process struct {
	ID      string
	Key     string
	Name    string
	Version int
	BPMN    string
}

type processAnswer struct {
	ID            string `json:"id"`
	Key           string `json:"key"`
	VersionNumber int    `json:"versionNumber"`
	Definition    struct {
		Name string `json:"name"`
		Body []struct {
			Code  string `json:"code"`
			Value string `json:"value"`
		} `json:"processBody"`
	} `json:"processDefinition"`
}

func (p processAnswer) process() Process {
	out := Process{ID: p.ID, Key: p.Key, Name: p.Definition.Name, Version: p.VersionNumber}
	for _, b := range p.Definition.Body {
		if b.Code == "bpmn20-xml" {
			out.BPMN = b.Value
		}
	}
	return out
}

// WorkflowStatus reads the engine's summary.
func (c *Client) WorkflowStatus(ctx context.Context, token string) (WorkflowStatus, error) {
	var out WorkflowStatus
	err := c.do(ctx, call{method: http.MethodGet, path: "/workflow/status", token: token, out: &out})
	return out, err
}

// Instances lists up to limit instances, newest first, of one process (a BPMN process id or a definition id)
// when processID is not empty.
func (c *Client) Instances(ctx context.Context, token, processID string, limit int) ([]ProcessInstance, error) {
	var out []ProcessInstance
	err := c.do(ctx, call{method: http.MethodGet, path: "/instances" + query("processId", processID, "limit", itoa(limit)),
		token: token, out: &out})
	return out, err
}

// Incidents lists the open incidents.
func (c *Client) Incidents(ctx context.Context, token string) ([]Incident, error) {
	var out []Incident
	err := c.do(ctx, call{method: http.MethodGet, path: "/incidents", token: token, out: &out})
	return out, err
}

// Processes lists the latest enabled version of each process (without their documents).
func (c *Client) Processes(ctx context.Context, token string) ([]Process, error) {
	var answers []processAnswer
	err := c.do(ctx, call{method: http.MethodGet, path: "/processes", token: token, out: &answers})
	out := make([]Process, 0, len(answers))
	for _, a := range answers {
		p := a.process()
		p.BPMN = ""
		out = append(out, p)
	}
	return out, err
}

// Process reads one process (by its BPMN process id: the latest enabled version) with its BPMN document.
func (c *Client) Process(ctx context.Context, token, id string) (Process, error) {
	var out processAnswer
	err := c.do(ctx, call{method: http.MethodGet, path: "/processes/" + url.PathEscape(id), token: token, out: &out})
	return out.process(), err
}

// itoa is a positive number as a query value ("" for zero: the API's default).
func itoa(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// The Workflow BB's user tasks (services/workflow/README.md): the steps people do in a process, visible to
// the holders of their candidate groups (the token's roles).

// UserTask is an open task of a person.
type UserTask struct {
	ID                string    `json:"id"`
	Name              string    `json:"name"`
	ProcessInstanceID string    `json:"processInstanceId"`
	ProcessID         string    `json:"processId"`
	ElementID         string    `json:"elementId"`
	State             string    `json:"state"`
	CreatedAt         time.Time `json:"createdAt"`
}

// UserTasks lists the open tasks of processID the person may see.
func (c *Client) UserTasks(ctx context.Context, token, processID string) ([]UserTask, error) {
	return get[[]UserTask](ctx, c, token, "/user-tasks"+query("processId", processID))
}

// InstancesOf lists the instances of processID with a business key.
func (c *Client) InstancesOf(ctx context.Context, token, processID, businessKey string) ([]ProcessInstance, error) {
	return get[[]ProcessInstance](ctx, c, token, "/instances"+query("processId", processID, "businessKey", businessKey))
}

// CompleteUserTask completes a task with its form's variables.
func (c *Client) CompleteUserTask(ctx context.Context, token, idempotencyKey, taskID string, variables map[string]any) error {
	_, err := send[struct{}](ctx, c, http.MethodPost, token, idempotencyKey, "/user-tasks/"+pathEscape(taskID)+"/completion",
		map[string]any{"variables": variables})
	return err
}
