// Package catalog describes each building block once (issue 13): its name, its module, its default gRPC
// port, the REST services the gateway mounts for it, the events it publishes, and the rights it needs on
// other BBs. The gateway, govstack dev, the Makefile's module list and the deployment tests read it, so
// adding a BB is its module, its entry here, and its deploy entry.
package catalog

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"
	procurementv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
)

// BB is one building block.
type BB struct {
	Name     string // e.g. "registries": database govstack_<name>, stream GOVSTACK_<NAME>, provider subsystem <name>
	Module   string // the Go module's folder, e.g. "services/registries"
	GRPCPort int    // the default port of its gRPC listener (on 127.0.0.1)
	// REST are the generated grpc-gateway registrations of its services, mounted by the gateway.
	REST []RESTService
	// Events are the subjects it publishes on its stream (also its events' CloudEvents types).
	Events []string
	// Calls are the rights it needs on other BBs' services, which the gateway grants at start when both
	// BBs are behind it.
	Calls []Call
	// BulkRoutes are its REST routes ("POST /path", the canonical path) whose one body carries a whole batch
	// (10,000 payments are a few MB of JSON): the gateway accepts bodies up to its bulk limit on them
	// (GOVSTACK_GATEWAY_MAX_BULK_BODY_BYTES) and keeps its usual limit everywhere else.
	BulkRoutes []string
	// LongPolls are its methods (full gRPC names) that workers call again and again, each waiting for work:
	// the BB and the IM log a successful one at debug, not at info.
	LongPolls []string
}

// RESTService mounts one gRPC service's REST paths on mux, calling it through conn.
type RESTService func(ctx context.Context, mux *runtime.ServeMux, conn grpc.ClientConnInterface) error

// Call is the right to call endpoints (full gRPC method names, or PersonalData) of Provider's service.
type Call struct {
	Provider  string
	Endpoints []string
}

// PersonalData is the IM's personal-data right as an endpoint of a Call (imident.PersonalDataEndpoint, spelled
// here because the proto module does not import the platform): the right to any person's data at Provider,
// which the IM never grants through a wildcard.
const PersonalData = "personal-data"

// AddrEnv is the variable that holds the BB's gRPC address, for its own listener and for the gateway:
// GOVSTACK_<NAME>_GRPC_ADDR.
func (b BB) AddrEnv() string { return "GOVSTACK_" + strings.ToUpper(b.Name) + "_GRPC_ADDR" }

// DefaultAddr is the BB's gRPC address when nothing is set: 127.0.0.1:<GRPCPort>.
func (b BB) DefaultAddr() string { return "127.0.0.1:" + strconv.Itoa(b.GRPCPort) }

// rest adapts a generated Register…HandlerClient function to a RESTService.
func rest[C any](newClient func(grpc.ClientConnInterface) C, register func(context.Context, *runtime.ServeMux, C) error) RESTService {
	return func(ctx context.Context, mux *runtime.ServeMux, conn grpc.ClientConnInterface) error {
		return register(ctx, mux, newClient(conn))
	}
}

// All are the building blocks, in the order govstack dev starts them (a BB's callees before it).
var All = []BB{
	{
		Name: "registries", Module: "services/registries", GRPCPort: 9092,
		REST: []RESTService{
			rest(registriesv1.NewRegistriesServiceClient, registriesv1.RegisterRegistriesServiceHandlerClient),
			rest(registriesv1.NewDatabasesServiceClient, registriesv1.RegisterDatabasesServiceHandlerClient),
		},
		Events: registriesv1.Events,
	},
	{
		Name: "messaging", Module: "services/messaging", GRPCPort: 9094,
		REST: []RESTService{
			rest(messagingv1.NewMessagingServiceClient, messagingv1.RegisterMessagingServiceHandlerClient),
			rest(messagingv1.NewOperatorServiceClient, messagingv1.RegisterOperatorServiceHandlerClient),
		},
		Events: messagingv1.Events,
	},
	{
		Name: "scheduling", Module: "services/scheduling", GRPCPort: 9096,
		REST: []RESTService{
			rest(schedulingv1.NewBookingServiceClient, schedulingv1.RegisterBookingServiceHandlerClient),
			rest(schedulingv1.NewDirectoryServiceClient, schedulingv1.RegisterDirectoryServiceHandlerClient),
			rest(schedulingv1.NewDeadlineServiceClient, schedulingv1.RegisterDeadlineServiceHandlerClient),
			rest(schedulingv1.NewSchedulerServiceClient, schedulingv1.RegisterSchedulerServiceHandlerClient),
		},
		Events: schedulingv1.Events,
	},
	{
		Name: "registration", Module: "services/registration", GRPCPort: 9091,
		REST: []RESTService{
			rest(registrationv1.NewEServiceServiceClient, registrationv1.RegisterEServiceServiceHandlerClient),
			rest(registrationv1.NewAccountServiceClient, registrationv1.RegisterAccountServiceHandlerClient),
			rest(registrationv1.NewAuthServiceClient, registrationv1.RegisterAuthServiceHandlerClient),
		},
		Events: registrationv1.Events,
		// Approved domains, companies and citizens are registries it reads and writes.
		Calls: []Call{{Provider: "registries", Endpoints: []string{
			registriesv1.RegistriesService_ReadRecord_FullMethodName,
			registriesv1.RegistriesService_RecordExists_FullMethodName,
			registriesv1.RegistriesService_CreateRecord_FullMethodName,
			registriesv1.RegistriesService_UpdateRecord_FullMethodName,
			registriesv1.RegistriesService_UpdateOrCreateRecord_FullMethodName,
		}}},
	},
	{
		Name: "payments", Module: "services/payments", GRPCPort: 9099,
		REST: []RESTService{
			rest(paymentsv1.NewBulkPaymentServiceClient, paymentsv1.RegisterBulkPaymentServiceHandlerClient),
			rest(paymentsv1.NewBeneficiaryServiceClient, paymentsv1.RegisterBeneficiaryServiceHandlerClient),
			rest(paymentsv1.NewVoucherServiceClient, paymentsv1.RegisterVoucherServiceHandlerClient),
			rest(paymentsv1.NewBillPaymentServiceClient, paymentsv1.RegisterBillPaymentServiceHandlerClient),
			rest(paymentsv1.NewLegacyServiceClient, paymentsv1.RegisterLegacyServiceHandlerClient),
			rest(paymentsv1.NewLedgerServiceClient, paymentsv1.RegisterLedgerServiceHandlerClient),
			rest(paymentsv1.NewRailServiceClient, paymentsv1.RegisterRailServiceHandlerClient),
		},
		Events: paymentsv1.Events,
		// A batch (3.0 and 1.0), the bulk validation of its payees' accounts, and the registration or update of
		// its payees in the identity-account mapper (3.0 and 1.0): each as many rows as GOVSTACK_PAYMENTS_MAX_BATCH.
		BulkRoutes: []string{"POST /batchtransactions", "POST /bulk-payment", "POST /prepayment-validation", "POST /beneficiaries",
			"POST /identityAccountMapper/beneficiary", "PUT /identityAccountMapper/beneficiary", "POST /register-beneficiary",
			"POST /update-beneficiary-details"},
	},
	{
		Name: "workflow", Module: "services/workflow", GRPCPort: 9098,
		REST: []RESTService{
			rest(workflowv1.NewProcessServiceClient, workflowv1.RegisterProcessServiceHandlerClient),
			rest(workflowv1.NewInstanceServiceClient, workflowv1.RegisterInstanceServiceHandlerClient),
			rest(workflowv1.NewJobServiceClient, workflowv1.RegisterJobServiceHandlerClient),
			rest(workflowv1.NewUserTaskServiceClient, workflowv1.RegisterUserTaskServiceHandlerClient),
			rest(workflowv1.NewMessageServiceClient, workflowv1.RegisterMessageServiceHandlerClient),
			rest(workflowv1.NewOperationsServiceClient, workflowv1.RegisterOperationsServiceHandlerClient),
		},
		Events:    workflowv1.Events,
		LongPolls: []string{workflowv1.JobService_ActivateJobs_FullMethodName},
		// Its connectors: service tasks that send e-mails, set deadlines and read or write registry records.
		Calls: []Call{
			{Provider: "messaging", Endpoints: []string{
				messagingv1.MessagingService_SendEmailBatch_FullMethodName,
				messagingv1.OperatorService_GetTemplate_FullMethodName,
			}},
			{Provider: "scheduling", Endpoints: []string{schedulingv1.DeadlineService_SetDeadline_FullMethodName}},
			{Provider: "registries", Endpoints: []string{
				registriesv1.RegistriesService_ReadRecord_FullMethodName,
				registriesv1.RegistriesService_UpdateOrCreateRecord_FullMethodName,
			}},
		},
	},
	// Procurement, the eMarketplace's own service: it composes the BBs above, so it starts after them.
	{
		Name: "procurement", Module: "services/procurement", GRPCPort: 9100,
		REST: []RESTService{
			rest(procurementv1.NewProcurementServiceClient, procurementv1.RegisterProcurementServiceHandlerClient),
			rest(procurementv1.NewOcdsServiceClient, procurementv1.RegisterOcdsServiceHandlerClient),
			rest(procurementv1.NewReportingServiceClient, procurementv1.RegisterReportingServiceHandlerClient),
			rest(procurementv1.NewDocumentServiceClient, procurementv1.RegisterDocumentServiceHandlerClient),
		},
		Events: procurementv1.Events,
		// Companies checked in Registries, deadlines in Scheduling, the process in Workflow (deploy, start,
		// messages, jobs), milestone payments in Payments, and the tenders' and bids' uploaded documents read
		// from Registration's store: a person may read only what they uploaded there, so procurement, which
		// decides who may read a tender's or a bid's documents, reads them as a back office (personal data).
		Calls: []Call{
			{Provider: "registries", Endpoints: []string{registriesv1.RegistriesService_ReadRecord_FullMethodName}},
			{Provider: "registration", Endpoints: []string{
				registrationv1.EServiceService_GetDocument_FullMethodName,
				PersonalData,
			}},
			{Provider: "scheduling", Endpoints: []string{schedulingv1.DeadlineService_SetDeadline_FullMethodName}},
			{Provider: "workflow", Endpoints: []string{
				workflowv1.ProcessService_GetProcess_FullMethodName,
				workflowv1.ProcessService_DeployProcessXml_FullMethodName,
				workflowv1.ProcessService_StartProcess_FullMethodName,
				workflowv1.MessageService_PublishMessage_FullMethodName,
				workflowv1.JobService_ActivateJobs_FullMethodName,
				workflowv1.JobService_CompleteJob_FullMethodName,
				workflowv1.JobService_FailJob_FullMethodName,
			}},
			{Provider: "payments", Endpoints: []string{paymentsv1.BulkPaymentService_BulkPayment_FullMethodName}},
		},
	},
}

// BulkRoutes are the bulk routes ("POST /path") of the BBs named, of every BB when none are.
func BulkRoutes(bbs ...string) map[string]bool {
	out := map[string]bool{}
	for _, b := range All {
		if len(bbs) == 0 || slices.Contains(bbs, b.Name) {
			for _, r := range b.BulkRoutes {
				out[r] = true
			}
		}
	}
	return out
}

// LongPolls are every BB's long-polled methods (BB.LongPolls).
func LongPolls() []string {
	var out []string
	for _, b := range All {
		out = append(out, b.LongPolls...)
	}
	return out
}

// Names are the BBs' names, in the order of All.
func Names() []string {
	out := make([]string, len(All))
	for i, b := range All {
		out[i] = b.Name
	}
	return out
}

// Lookup returns the BB named name.
func Lookup(name string) (BB, bool) {
	i := slices.IndexFunc(All, func(b BB) bool { return b.Name == name })
	if i < 0 {
		return BB{}, false
	}
	return All[i], true
}
