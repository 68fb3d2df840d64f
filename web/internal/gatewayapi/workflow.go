package gatewayapi

import (
	"context"
	"net/http"
	"time"
)

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

// ProcessInstance is one run of a process.
type ProcessInstance struct {
	ID          string `json:"id"`
	ProcessID   string `json:"processId"`
	State       string `json:"state"`
	BusinessKey string `json:"businessKey"`
}

// UserTasks lists the open tasks of processID the person may see.
func (c *Client) UserTasks(ctx context.Context, token, processID string) ([]UserTask, error) {
	return get[[]UserTask](ctx, c, token, "/user-tasks"+query("processId", processID))
}

// Instances lists the instances of processID with a business key.
func (c *Client) Instances(ctx context.Context, token, processID, businessKey string) ([]ProcessInstance, error) {
	return get[[]ProcessInstance](ctx, c, token, "/instances"+query("processId", processID, "businessKey", businessKey))
}

// CompleteUserTask completes a task with its form's variables.
func (c *Client) CompleteUserTask(ctx context.Context, token, idempotencyKey, taskID string, variables map[string]any) error {
	_, err := send[struct{}](ctx, c, http.MethodPost, token, idempotencyKey, "/user-tasks/"+pathEscape(taskID)+"/completion",
		map[string]any{"variables": variables})
	return err
}
