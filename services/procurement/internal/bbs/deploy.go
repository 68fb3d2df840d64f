package bbs

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
)

// EnsureProcess deploys the procurement process unless its latest version already carries versionTag (a
// hash of the file): deploying at every start would add a version each time, and several replicas
// starting together deploy under one Idempotency-Key.
func (w Workflow) EnsureProcess(ctx context.Context, xml, versionTag string) error {
	got, err := w.Processes.GetProcess(ctx, &workflowv1.GetProcessRequest{ProcessId: app.ProcessID})
	if err == nil && got.GetProcess().GetVersionTag() == versionTag {
		return nil
	}
	if err != nil && status.Code(err) != codes.NotFound {
		return err
	}
	_, err = w.Processes.DeployProcessXml(withKey(ctx, "procurement-deploy-"+versionTag),
		&workflowv1.DeployProcessXmlRequest{BpmnXml: xml, Version: versionTag})
	return err
}
