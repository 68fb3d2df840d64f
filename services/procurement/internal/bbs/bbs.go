// Package bbs are procurement's clients of the other building blocks, all through the Information Mediator
// (platform/imclient): Digital Registries (companies), Scheduling (deadlines), Workflow (the process, its
// messages and procurement's jobs), Payments (milestone payments) and Registration (the documents tenders and
// bids refer to). Every mutating call carries an Idempotency-Key derived from what it is about, so a retry
// after a crash does nothing twice.
package bbs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/idempotency"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"
	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
)

func withKey(ctx context.Context, key string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, idempotency.MetadataKey, key)
}

// unavailable reports a BB that could not do the call as a 503 to procurement's own caller, naming it.
func unavailable(bb string, err error) error {
	st, _ := status.FromError(err)
	return apierr.Wrap(apierr.KindUnavailable, "DEPENDENCY_UNAVAILABLE", fmt.Sprintf("the %s BB could not be asked (%s): try again shortly", bb, st.Code()), err)
}

// Registries reads companies.
type Registries struct {
	Client registriesv1.RegistriesServiceClient
}

// NewRegistries is the client on conn (through the IM).
func NewRegistries(conn grpc.ClientConnInterface) Registries {
	return Registries{Client: registriesv1.NewRegistriesServiceClient(conn)}
}

// CompanyStatus implements app.Registries.
func (r Registries) CompanyStatus(ctx context.Context, companyID string) (string, bool, error) {
	q, _ := structpb.NewStruct(map[string]any{"companyId": companyID})
	resp, err := r.Client.ReadRecord(ctx, &registriesv1.ReadRecordRequest{RegistryName: "companies", VersionNumber: "1.0",
		Query: &registriesv1.RecordQuery{Content: q}})
	if status.Code(err) == codes.NotFound {
		return "", false, nil
	}
	if err != nil {
		return "", false, unavailable("Digital Registries", err)
	}
	st, _ := resp.GetContent().AsMap()["status"].(string)
	return st, true, nil
}

// Scheduling sets deadlines.
type Scheduling struct {
	Client schedulingv1.DeadlineServiceClient
}

// NewScheduling is the client on conn (through the IM).
func NewScheduling(conn grpc.ClientConnInterface) Scheduling {
	return Scheduling{Client: schedulingv1.NewDeadlineServiceClient(conn)}
}

// SetDeadline implements app.Scheduling.
func (s Scheduling) SetDeadline(ctx context.Context, key, subject, reference string, due time.Time) (string, error) {
	resp, err := s.Client.SetDeadline(withKey(ctx, key), &schedulingv1.SetDeadlineRequest{Subject: subject, Reference: reference,
		DueAt: timestamppb.New(due)})
	if err != nil {
		return "", unavailable("Scheduling", err)
	}
	return resp.GetDeadline().GetDeadlineId(), nil
}

// Payments pays milestones.
type Payments struct {
	Client paymentsv1.BulkPaymentServiceClient
	// Payer is the funding account's payer identifier the payments are drawn from.
	Payer string
}

// NewPayments is the client on conn (through the IM).
func NewPayments(conn grpc.ClientConnInterface, payer string) Payments {
	return Payments{Client: paymentsv1.NewBulkPaymentServiceClient(conn), Payer: payer}
}

// Pay implements app.Payments: a batch of one credit instruction, its correlation id the milestone's key.
func (p Payments) Pay(ctx context.Context, in app.Payment) (string, error) {
	sum := sha256.Sum256([]byte(in.Key))
	resp, err := p.Client.BulkPayment(withKey(ctx, in.Key), &paymentsv1.BulkPaymentRequest{Type: "raw",
		Instructions: []*paymentsv1.CreditInstruction{{
			RequestId:       hex.EncodeToString(sum[:8]), // at most 16 characters: the rail's payment id
			CreditParty:     []*paymentsv1.Party{{Key: in.PayeeKey, Value: in.PayeeValue}},
			DebitParty:      []*paymentsv1.Party{{Key: "payerIdentifier", Value: p.Payer}},
			Amount:          in.Amount,
			Currency:        in.Currency,
			DescriptionText: in.Description,
			References:      in.References,
		}}})
	if err != nil {
		return "", unavailable("Payments", err)
	}
	return resp.GetBatchId(), nil
}

// Workflow drives the procurement process.
type Workflow struct {
	Processes workflowv1.ProcessServiceClient
	Messages  workflowv1.MessageServiceClient
	Jobs      workflowv1.JobServiceClient
}

// NewWorkflow is the client on conn (through the IM).
func NewWorkflow(conn grpc.ClientConnInterface) Workflow {
	return Workflow{Processes: workflowv1.NewProcessServiceClient(conn), Messages: workflowv1.NewMessageServiceClient(conn),
		Jobs: workflowv1.NewJobServiceClient(conn)}
}

// StartProcess implements app.Workflow: one instance per tender (business key and idempotency key = its id).
func (w Workflow) StartProcess(ctx context.Context, tenderID string, vars map[string]any) (string, error) {
	v, err := structpb.NewStruct(vars)
	if err != nil {
		return "", err
	}
	resp, err := w.Processes.StartProcess(withKey(ctx, "procurement-start-"+tenderID), &workflowv1.StartProcessRequest{
		ProcessId: app.ProcessID, ProcessStartedBy: "procurement", Variables: v, BusinessKey: tenderID})
	if err != nil {
		return "", unavailable("Workflow", err)
	}
	return resp.GetInstance().GetId(), nil
}

// messageTTL keeps a message for an instance that is not yet waiting for it (one published just before the
// instance reaches its catch event).
const messageTTL = 24 * time.Hour

// PublishMessage implements app.Workflow.
func (w Workflow) PublishMessage(ctx context.Context, name, tenderID, id string, vars map[string]any) error {
	v, err := structpb.NewStruct(vars)
	if err != nil {
		return err
	}
	_, err = w.Messages.PublishMessage(withKey(ctx, "procurement-msg-"+id), &workflowv1.PublishMessageRequest{Name: name, CorrelationKey: tenderID,
		MessageId: id, TimeToLive: int32(messageTTL / time.Millisecond), Variables: v})
	if err != nil {
		return unavailable("Workflow", err)
	}
	return nil
}

// ActivateJobs implements app.Workflow (a long poll of at most wait).
func (w Workflow) ActivateJobs(ctx context.Context, jobType, worker string, max int, wait time.Duration) ([]app.Job, error) {
	callCtx, cancel := context.WithTimeout(ctx, wait+10*time.Second)
	defer cancel()
	resp, err := w.Jobs.ActivateJobs(callCtx, &workflowv1.ActivateJobsRequest{Type: jobType, Worker: worker,
		Timeout: int32(time.Minute / time.Millisecond), MaxJobsToActivate: int32(max), RequestTimeout: int32(wait / time.Millisecond)})
	if err != nil {
		return nil, err
	}
	var out []app.Job
	for _, j := range resp.GetJobs() {
		out = append(out, app.Job{Key: j.GetKey(), Type: j.GetType(), Epoch: j.GetLeaseEpoch(), Retries: int(j.GetRetries()),
			Variables: j.GetVariables().AsMap()})
	}
	return out, nil
}

// CompleteJob implements app.Workflow.
func (w Workflow) CompleteJob(ctx context.Context, j app.Job, worker string, vars map[string]any) error {
	v, err := structpb.NewStruct(vars)
	if err != nil {
		return err
	}
	_, err = w.Jobs.CompleteJob(ctx, &workflowv1.CompleteJobRequest{JobKey: j.Key, Worker: worker, LeaseEpoch: j.Epoch, Variables: v})
	return err
}

// FailJob implements app.Workflow.
func (w Workflow) FailJob(ctx context.Context, j app.Job, worker string, retries int, msg string, backoff time.Duration) error {
	_, err := w.Jobs.FailJob(ctx, &workflowv1.FailJobRequest{JobKey: j.Key, Worker: worker, LeaseEpoch: j.Epoch, Retries: int32(retries),
		ErrorMessage: msg, RetryBackOff: int32(backoff / time.Millisecond)})
	return err
}
