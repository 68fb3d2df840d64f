package app

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

// maxMessageTTL bounds how long a message waits for a subscriber.
const maxMessageTTL = 30 * 24 * time.Hour

// PublishInput is a message.
type PublishInput struct {
	Name           string
	CorrelationKey string
	TTL            time.Duration
	MessageID      string
	Vars           map[string]any
}

// Published is what a publish reached: the message's key and the instances it correlates to or started.
type Published struct {
	Key       string
	Instances []string
}

// Publish publishes a message. Each instance waiting for it (name and correlation key) gets it once: the
// publish records a correlate signal per instance, which that instance's next step takes (so a publish
// never locks the instances it reaches); processes with a message start event for the name start at once.
// With a TTL the message also reaches instances that subscribe before it expires. A message id published
// before is not delivered again.
func (s *Service) Publish(ctx context.Context, in PublishInput) (Published, error) {
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		return Published{}, domain.Invalid("name", "required: the message name the process waits for")
	case in.TTL < 0 || in.TTL > maxMessageTTL:
		return Published{}, domain.Invalid("timeToLive", "must be between 0 and 30 days, in ms")
	}
	var out Published
	err := s.inTx(ctx, func(r *run) error {
		out = Published{}
		return r.publish(in, &out)
	})
	return out, err
}

// PublishWithin publishes a message in a transaction the caller opened and commits (an inbox consumer's);
// call Wake after the commit so the correlations are delivered at once.
func (s *Service) PublishWithin(ctx context.Context, tx Tx, in PublishInput) (Published, error) {
	var out Published
	if strings.TrimSpace(in.Name) == "" {
		return out, domain.Invalid("name", "required")
	}
	r := s.newRun(ctx, tx)
	err := r.publish(in, &out)
	return out, err
}

// Wake makes the timer and signal loop look for work now (after a commit it did not see).
func (s *Service) Wake() { s.poke() }

func (r *run) publish(in PublishInput, out *Published) error {
	if err := r.tx.LockMessageKey(r.ctx, in.Name, in.CorrelationKey); err != nil {
		return err
	}
	subs, err := r.tx.Subscriptions(r.ctx, in.Name, in.CorrelationKey)
	if err != nil {
		return err
	}
	starts, err := r.tx.MessageStarts(r.ctx, in.Name)
	if err != nil {
		return err
	}
	if in.TTL == 0 && len(subs) == 0 && len(starts) == 0 {
		return nil // nothing waits for it and it waits for nothing: there is nothing to keep (events mostly)
	}
	m, inserted, err := r.tx.InsertMessage(r.ctx, Message{ID: newID(), Name: in.Name, CorrelationKey: in.CorrelationKey,
		MessageID: in.MessageID, Variables: in.Vars, ExpiresAt: r.now.Add(in.TTL)})
	if err != nil {
		return err
	}
	out.Key = m.ID
	if !inserted {
		return nil // published before: it reached what it reaches then
	}
	seen := map[string]bool{}
	for _, sub := range subs {
		if seen[sub.InstanceID] {
			continue // a message reaches an instance once
		}
		seen[sub.InstanceID] = true
		payload, err := json.Marshal(correlate{MessageID: m.ID, SubscriptionID: sub.ID, Vars: in.Vars})
		if err != nil {
			return err
		}
		if err := r.tx.Write(r.ctx, StepWrite{Signals: []domain.Signal{{ID: newID(), InstanceID: sub.InstanceID,
			Kind: domain.SignalCorrelate, Payload: payload, FireAt: r.now}}}); err != nil {
			return err
		}
		r.scheduled = true
		out.Instances = append(out.Instances, sub.InstanceID)
	}
	return r.startByMessage(m, in, starts, out)
}

// startByMessage starts the processes whose latest enabled version has a message start event for the name.
func (r *run) startByMessage(m Message, in PublishInput, starts []MessageStart, out *Published) error {
	for _, st := range starts {
		def, err := r.tx.DefinitionIn(r.ctx, st.DefinitionID)
		if err != nil {
			return err
		}
		inst, err := r.startInstance(def, startSpec{Event: st.ElementID, Vars: in.Vars, StartedBy: r.actor.name()})
		if err != nil {
			return err
		}
		if _, err := r.tx.RecordCorrelation(r.ctx, m.ID, inst.ID); err != nil {
			return err
		}
		out.Instances = append(out.Instances, inst.ID)
	}
	slices.Sort(out.Instances)
	return nil
}

// correlate is the payload of a correlate signal.
type correlate struct {
	MessageID      string         `json:"messageId"`
	SubscriptionID string         `json:"subscriptionId"`
	Vars           map[string]any `json:"vars,omitempty"`
}

// deliver correlates a published message to the instance of a correlate signal, once: an instance that no
// longer waits for it (or had it already) is left as it is.
func (r *run) deliver(instanceID string, c correlate) error {
	inst, err := r.lock(instanceID)
	if err != nil {
		if k := apierr.KindOf(err); k == apierr.KindNotFound || k == apierr.KindFailedPrecondition {
			return nil // gone or ended: nothing waits for the message any more
		}
		return err
	}
	if inst.Suspended {
		return errRetryLater
	}
	if _, open := inst.Doc.Subs[c.SubscriptionID]; !open {
		return nil
	}
	if fresh, err := r.tx.RecordCorrelation(r.ctx, c.MessageID, inst.ID); err != nil || !fresh {
		return err
	}
	model, err := r.modelOf(&inst)
	if err != nil {
		return err
	}
	return r.step(&inst, model, engine.MessageCorrelated{SubscriptionID: c.SubscriptionID, Vars: c.Vars}, &StepWrite{})
}

// errRetryLater leaves a signal for later (its instance is suspended).
var errRetryLater = apierr.FailedPrecondition("RETRY_LATER", "the instance is suspended")
