// Package metrics exports what the Workflow engine counts to Prometheus (the process's /metrics): jobs
// activated, completed and failed by type, timer lateness and step latency.
package metrics

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics implements app.Metrics on Prometheus collectors.
type Metrics struct {
	activated *prometheus.CounterVec
	completed *prometheus.CounterVec
	failed    *prometheus.CounterVec
	lateness  prometheus.Histogram
	step      prometheus.Histogram
}

// New registers the collectors on reg (the default registry when nil); a second New on the same registry
// (tests, several engines in one process) shares them.
func New(reg prometheus.Registerer) (*Metrics, error) {
	if reg == nil {
		reg = prometheus.DefaultRegisterer
	}
	m := &Metrics{
		activated: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "govstack", Subsystem: "workflow",
			Name: "jobs_activated_total", Help: "Jobs leased to workers, by job type."}, []string{"type"}),
		completed: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "govstack", Subsystem: "workflow",
			Name: "jobs_completed_total", Help: "Jobs completed, by job type."}, []string{"type"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "govstack", Subsystem: "workflow",
			Name: "jobs_failed_total", Help: "Job failures reported, by job type."}, []string{"type"}),
		lateness: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "govstack", Subsystem: "workflow",
			Name: "timer_lateness_seconds", Help: "How long after its due time a timer fired.",
			Buckets: []float64{.005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}}),
		step: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "govstack", Subsystem: "workflow",
			Name: "step_seconds", Help: "Latency of one engine transaction (a step and what it writes).",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
	}
	var err error
	if m.activated, err = register(reg, m.activated); err != nil {
		return nil, err
	}
	if m.completed, err = register(reg, m.completed); err != nil {
		return nil, err
	}
	if m.failed, err = register(reg, m.failed); err != nil {
		return nil, err
	}
	if m.lateness, err = register(reg, m.lateness); err != nil {
		return nil, err
	}
	if m.step, err = register(reg, m.step); err != nil {
		return nil, err
	}
	return m, nil
}

// register registers c, or returns the collector registered before under the same name.
func register[T prometheus.Collector](reg prometheus.Registerer, c T) (T, error) {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(T); ok {
			return existing, nil
		}
	}
	return c, err
}

// JobsActivated counts n jobs of a type leased.
func (m *Metrics) JobsActivated(jobType string, n int) {
	if n > 0 {
		m.activated.WithLabelValues(jobType).Add(float64(n))
	}
}

// JobCompleted counts a completed job.
func (m *Metrics) JobCompleted(jobType string) { m.completed.WithLabelValues(jobType).Inc() }

// JobFailed counts a reported failure.
func (m *Metrics) JobFailed(jobType string) { m.failed.WithLabelValues(jobType).Inc() }

// TimerFired records a timer's lateness.
func (m *Metrics) TimerFired(lateness time.Duration) { m.lateness.Observe(max(lateness, 0).Seconds()) }

// Step records a transaction's latency.
func (m *Metrics) Step(d time.Duration) { m.step.Observe(d.Seconds()) }
