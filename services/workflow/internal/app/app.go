// Package app is the Workflow use cases: deploying processes, starting and running instances, jobs for
// workers with fenced leases, user tasks, messages, timers, incidents and flow triggers. Every change to an
// instance is a step of the engine (internal/domain/engine) run in one transaction of the store declared in
// ports.go; internal/store implements it on Postgres.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/usertoken"

	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/bpmn"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain/engine"
)

// BB is the building block's name in event types and the database name.
const BB = "workflow"

// Metrics is what the use cases count; internal adapters export it (nil: nothing is counted).
type Metrics interface {
	JobsActivated(jobType string, n int)
	JobCompleted(jobType string)
	JobFailed(jobType string)
	TimerFired(lateness time.Duration)
	Step(d time.Duration)
}

// Options are what a deployment sets.
type Options struct {
	Now func() time.Time // the clock (time.Now when nil)
	// Owner names this replica in leases (a unique name is made when empty).
	Owner string
	// JobLease is a job's lease when the worker asks for none; TimerLease how long a replica holds the
	// timers and signals it claimed before another may take them.
	JobLease   time.Duration
	TimerLease time.Duration
	// Expressions and Timers are the libraries the engine and the deploy-time checks use.
	Expressions engine.Expressions
	Timers      engine.Timers
	// CheckExpression and CheckTimer validate a definition's expressions and timers when it is deployed.
	CheckExpression func(string) error
	CheckTimer      func(bpmn.TimerType, string) error
	Metrics         Metrics
	Logger          *slog.Logger
}

// Service runs the use cases on a store.
type Service struct {
	store   Store
	eng     *engine.Engine
	timers  engine.Timers
	checks  bpmn.Options
	now     func() time.Time
	owner   string
	opts    Options
	models  sync.Map // definition id -> *bpmn.Process
	waiters *waiters
	wake    chan struct{}
	metrics Metrics
	log     *slog.Logger
	// lastPurge is when this replica last deleted expired messages (only the timer loop touches it).
	lastPurge time.Time
}

// New returns the use cases on store.
func New(store Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Owner == "" {
		o.Owner = replicaName()
	}
	if o.JobLease <= 0 {
		o.JobLease = 5 * time.Minute
	}
	if o.TimerLease <= 0 {
		o.TimerLease = 30 * time.Second
	}
	if o.Metrics == nil {
		o.Metrics = noMetrics{}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Service{store: store, eng: engine.New(o.Expressions, o.Timers), timers: o.Timers,
		checks: bpmn.Options{CheckExpression: o.CheckExpression, CheckTimer: o.CheckTimer},
		now:    func() time.Time { return o.Now().UTC() }, owner: o.Owner, opts: o, waiters: newWaiters(),
		wake: make(chan struct{}, 1), metrics: o.Metrics, log: o.Logger}
}

// Owner is this replica's name in leases.
func (s *Service) Owner() string { return s.owner }

func replicaName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return host + "-" + hex.EncodeToString(b)
}

func newID() string { return uuid.NewString() }

// model returns the parsed process of a definition, parsing it once per process (definitions never change).
func (s *Service) model(d domain.Definition) (*bpmn.Process, error) {
	if m, ok := s.models.Load(d.ID); ok {
		return m.(*bpmn.Process), nil
	}
	defs, err := bpmn.Parse([]byte(d.XML), bpmn.Options{})
	if err != nil {
		return nil, err
	}
	p := defs.Process(d.Key)
	if p == nil {
		return nil, errNoProcess(d)
	}
	s.models.Store(d.ID, p)
	return p, nil
}

// poke wakes the timer and signal loop (something was scheduled that may be due soon).
func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// actor is who a call acts for: the signed-in person, and the IM client it came through.
type actor struct {
	user   string
	client string
	person *domain.Person
}

func actorOf(ctx context.Context) actor {
	var a actor
	if c, ok := imident.FromContext(ctx); ok {
		a.client = c.String()
	}
	if c, ok := usertoken.FromContext(ctx); ok {
		p := domain.Person{ID: c.Subject, Email: c.Email, Roles: c.Roles, Organisation: c.Organisation}
		a.person, a.user = &p, p.Name()
	}
	return a
}

// name is how the actor is recorded as the doer of something.
func (a actor) name() string {
	if a.user != "" {
		return a.user
	}
	return a.client
}

type noMetrics struct{}

func (noMetrics) JobsActivated(string, int) {}
func (noMetrics) JobCompleted(string)       {}
func (noMetrics) JobFailed(string)          {}
func (noMetrics) TimerFired(time.Duration)  {}
func (noMetrics) Step(time.Duration)        {}
