package events

import (
	"context"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/govstackbb/marketplace/platform/inbox"
	"github.com/govstackbb/marketplace/platform/natsbus"

	paymentsv1 "github.com/govstackbb/marketplace/proto/govstack/payments/v1"
	procurementv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
)

// Within runs a unit of work on the inbox's transaction (store.Store.Within).
type Within func(ctx context.Context, tx pgx.Tx, fn func(app.Tx) error) error

// Consumers are procurement's durable consumers.
type Consumers struct {
	App    *app.Service
	Within Within
	Log    *slog.Logger
}

// tolerant reads payloads as a tolerant reader: fields a newer producer adds are ignored.
var tolerant = protojson.UnmarshalOptions{DiscardUnknown: true}

// Run consumes until ctx is done: procurement's own effect-bearing events, Scheduling's deadline.reached,
// Payments' payment.settled and Workflow's task.completed (audited).
func (c Consumers) Run(ctx context.Context, js jetstream.JetStream, pool *pgxpool.Pool) error {
	var g errgroup.Group
	own := []string{procurementv1.EventTenderPublished, procurementv1.EventTenderBidsOpened, procurementv1.EventTenderCancelled,
		procurementv1.EventAwardDecided, procurementv1.EventAwardStandstillEnded, procurementv1.EventContractSigned,
		procurementv1.EventMilestoneDelivered, procurementv1.EventMilestonePaid}
	consume := func(bb, durable string, subjects []string, h inbox.Handler) {
		g.Go(func() error {
			if _, err := natsbus.EnsureStream(ctx, js, bb); err != nil {
				return nilIfDone(ctx, err)
			}
			return inbox.Consume(ctx, js, pool, inbox.ConsumerOptions{Stream: natsbus.StreamName(bb), Durable: durable,
				FilterSubjects: subjects, Logger: c.Log}, h)
		})
	}
	consume(app.BB, "procurement-effects", own, c.effect)
	consume("scheduling", "procurement-deadlines", []string{schedulingv1.EventDeadlineReached}, c.deadline)
	consume("payments", "procurement-payments", []string{paymentsv1.EventPaymentSettled}, c.settled)
	consume("workflow", "procurement-tasks", []string{workflowv1.EventTaskCompleted}, c.taskDone)
	return g.Wait()
}

func nilIfDone(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

func (c Consumers) unit(tx pgx.Tx) app.Unit {
	return func(ctx context.Context, fn func(app.Tx) error) error { return c.Within(ctx, tx, fn) }
}

// effect reads one of procurement's own events back and does what it asks of the other BBs.
func (c Consumers) effect(ctx context.Context, tx pgx.Tx, d inbox.Delivery) error {
	h := app.Happened{Kind: strings.TrimPrefix(d.Type, TypePrefix)}
	switch d.Type {
	case procurementv1.EventTenderPublished, procurementv1.EventTenderBidsOpened, procurementv1.EventTenderCancelled:
		var e procurementv1.TenderEvent
		if err := tolerant.Unmarshal(d.Data, &e); err != nil {
			return nil // not ours to fix: nothing to do
		}
		h.TenderID, h.OCID, h.EnquiryEnd, h.TenderEnd = e.GetTenderId(), e.GetOcid(), e.GetEnquiryEnd().AsTime(), e.GetTenderEnd().AsTime()
	case procurementv1.EventAwardDecided, procurementv1.EventAwardStandstillEnded:
		var e procurementv1.AwardEvent
		if err := tolerant.Unmarshal(d.Data, &e); err != nil {
			return nil
		}
		h.TenderID, h.AwardID, h.StandstillEnd = e.GetTenderId(), e.GetAwardId(), e.GetStandstillEnd().AsTime()
	default:
		var e procurementv1.ContractEvent
		if err := tolerant.Unmarshal(d.Data, &e); err != nil {
			return nil
		}
		h.TenderID, h.OCID, h.AwardID, h.ContractID, h.Milestone = e.GetTenderId(), e.GetOcid(), e.GetAwardId(), e.GetContractId(), e.GetMilestoneId()
		h.Amount, h.Currency, h.PayeeKey, h.PayeeValue, h.Status = e.GetAmount(), e.GetCurrency(), e.GetPayeeKey(), e.GetPayeeValue(), e.GetStatus()
	}
	return c.App.Effect(ctx, c.unit(tx), h)
}

// deadline routes Scheduling's deadline.reached: procurement's own deadlines only.
func (c Consumers) deadline(ctx context.Context, tx pgx.Tx, d inbox.Delivery) error {
	var e schedulingv1.DeadlineReached
	if err := tolerant.Unmarshal(d.Data, &e); err != nil {
		return nil
	}
	return c.App.DeadlineReached(ctx, c.unit(tx), e.GetSubject())
}

// settled marks a milestone paid when Payments settles its payment (references.milestoneId).
func (c Consumers) settled(ctx context.Context, tx pgx.Tx, d inbox.Delivery) error {
	var e paymentsv1.PaymentEvent
	if err := tolerant.Unmarshal(d.Data, &e); err != nil {
		return nil
	}
	m := e.GetReferences()["milestoneId"]
	if m == "" {
		return nil // another client's payment
	}
	return c.App.PaymentSettled(ctx, c.unit(tx), m, e.GetAt().AsTime())
}

// taskDone audits the people's steps of procurement's process.
func (c Consumers) taskDone(ctx context.Context, tx pgx.Tx, d inbox.Delivery) error {
	var e workflowv1.TaskEvent
	if err := tolerant.Unmarshal(d.Data, &e); err != nil || e.GetProcessId() != app.ProcessID {
		return nil
	}
	return c.App.TaskCompleted(ctx, c.unit(tx), e.GetInstanceId(), e.GetElementId(), e.GetName(), e.GetBy(), e.GetAt().AsTime())
}
