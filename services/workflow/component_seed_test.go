package workflow_test

import (
	"context"
	"testing"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/workflow"
)

func TestSeedDeploysTheShippedProcessesOnce(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	for range 2 {
		if err := workflow.Seed(ctx, e.pool); err != nil {
			t.Fatal(err)
		}
	}
	list, err := e.processes.ListProcesses(ctx, &workflowv1.ListProcessesRequest{All: true})
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]int32{}
	for _, p := range list.GetProcesses() {
		keys[p.GetKey()] = p.GetVersionNumber()
	}
	if len(keys) != 2 || keys["procurement-evaluation"] != 1 || keys["probation-case"] != 1 {
		t.Fatalf("deployed %v", keys)
	}
}
