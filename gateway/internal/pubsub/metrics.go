package pubsub

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics counts what operators watch: publishes, delivery outcomes and drops. Labels stay low-cardinality
// (no rooms or event types: those are unbounded and caller-chosen).
type metrics struct {
	published *prometheus.CounterVec // result: accepted, invalid, duplicate
	delivered *prometheus.CounterVec // mode: push, pull
	attempts  *prometheus.CounterVec // result: ok, error
	dropped   *prometheus.CounterVec // reason: attempts, ttl, unauthorized
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		published: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "govstack", Subsystem: "im_pubsub",
			Name: "publish_total", Help: "Publish requests by result."}, []string{"result"}),
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "govstack", Subsystem: "im_pubsub",
			Name: "delivered_total", Help: "Events delivered to a subscription, by delivery mode."}, []string{"mode"}),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "govstack", Subsystem: "im_pubsub",
			Name: "push_attempts_total", Help: "Push delivery attempts by result."}, []string{"result"}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "govstack", Subsystem: "im_pubsub",
			Name: "dropped_total", Help: "Events dropped for a subscription, by reason."}, []string{"reason"}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []**prometheus.CounterVec{&m.published, &m.delivered, &m.attempts, &m.dropped} {
		if err := reg.Register(*c); err != nil {
			// A second Broker on the same registry (tests, a restart in-process) shares the counters.
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				return nil, err
			}
			existing, ok := are.ExistingCollector.(*prometheus.CounterVec)
			if !ok {
				return nil, err
			}
			*c = existing
		}
	}
	return m, nil
}
