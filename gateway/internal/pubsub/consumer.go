package pubsub

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// errStreamMissing means a BB's stream does not exist yet (the BB has not started): retry later.
var errStreamMissing = errors.New("stream not found")

// startSeq is the first sequence a subscription created now receives: the one after the stream's last.
func (b *Broker) startSeq(ctx context.Context, stream string) (uint64, error) {
	s, err := b.opts.JetStream.Stream(ctx, stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return 0, fmt.Errorf("%w: %s", errStreamMissing, stream)
	}
	if err != nil {
		return 0, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return 0, err
	}
	return info.State.LastSeq + 1, nil
}

// consumerConfig is the durable consumer behind s. Push consumers let JetStream count attempts (the worker
// terminates an event itself after its last attempt; MaxDeliver is a backstop); pull consumers redeliver
// until acknowledged. FIFO holds back the next event until the current one is settled.
func (b *Broker) consumerConfig(s subscription) jetstream.ConsumerConfig {
	cfg := jetstream.ConsumerConfig{
		Durable:       s.Consumer,
		Description:   fmt.Sprintf("IM subscription %s of %s to %s/%s", s.ID, s.Subscriber, s.Room, s.EventType),
		FilterSubject: s.Subject,
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:   s.StartSeq,
		AckPolicy:     jetstream.AckExplicitPolicy,
		MaxAckPending: 1000,
	}
	if s.FIFO {
		cfg.MaxAckPending = 1
	}
	if s.Delivery == deliveryPush {
		cfg.AckWait = 2*b.opts.PushTimeout + 5*time.Second
		// A few spare deliveries cover attempts cut short by a gateway stopping (which are not the
		// subscriber's failure), so the worker always gets to record the drop itself.
		cfg.MaxDeliver = b.opts.MaxPushAttempts + 3
	} else {
		cfg.AckWait = b.opts.PullAckWait
		cfg.MaxDeliver = -1
	}
	return cfg
}

// ensureConsumer creates or updates the consumer of s.
func (b *Broker) ensureConsumer(ctx context.Context, s subscription) (jetstream.Consumer, error) {
	c, err := b.opts.JetStream.CreateOrUpdateConsumer(ctx, s.Stream, b.consumerConfig(s))
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, fmt.Errorf("%w: %s", errStreamMissing, s.Stream)
	}
	return c, err
}

// deleteConsumer removes the consumer of a deleted subscription. Failure only leaves an idle consumer; it
// is logged, not returned, because the subscription is already gone.
func (b *Broker) deleteConsumer(ctx context.Context, s subscription) {
	err := b.opts.JetStream.DeleteConsumer(ctx, s.Stream, s.Consumer)
	if err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) && !errors.Is(err, jetstream.ErrStreamNotFound) {
		b.log.WarnContext(ctx, "pubsub: delete consumer", "consumer", s.Consumer, "error", err)
	}
}
