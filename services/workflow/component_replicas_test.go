package workflow_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/govstackbb/marketplace/platform/idempotency"
	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"
	"github.com/govstackbb/marketplace/platform/testkit"

	workflowv1 "github.com/govstackbb/marketplace/proto/govstack/workflow/v1"
	"github.com/govstackbb/marketplace/services/workflow"
)

// timerThenJob is start -> a one-minute timer -> a service task "work" -> end.
const timerThenJob = `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Wait"/>
<bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
<bpmn:sequenceFlow id="f2" sourceRef="Wait" targetRef="Work"/>
<bpmn:serviceTask id="Work"><bpmn:extensionElements><zeebe:taskDefinition type="work"/></bpmn:extensionElements></bpmn:serviceTask>
<bpmn:sequenceFlow id="f3" sourceRef="Work" targetRef="E"/><bpmn:endEvent id="E"/>`

// twoReplicas runs replicas a and b on one database, sharing the clock.
func twoReplicas(t *testing.T) (*env, *env) {
	pool := pgtest.NewPool(t, append(workflow.Migrations(), idempotency.Migrations)...)
	_, js := natstest.Start(t)
	clk, is := &clock{t: testNow}, newIssuer(t)
	return startOn(t, pool, js, clk, is, options{background: true, owner: "replica-a"}),
		startOn(t, pool, js, clk, is, options{background: true, owner: "replica-b"})
}

// countHistory counts the history lines of kind across every instance.
func countHistory(t *testing.T, e *env, kind string) map[string]int {
	t.Helper()
	rows, err := e.pool.Query(context.Background(), `SELECT instance_id::text, count(*) FROM history WHERE kind = $1 GROUP BY 1`, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		out[id] = n
	}
	return out
}

// TestTwoReplicasRunEachJobAndFireEachTimerOnce: two engines on one database, both firing timers and both
// handing out jobs to workers that race each other; every instance completes, every timer fired once,
// every job completed once.
func TestTwoReplicasRunEachJobAndFireEachTimerOnce(t *testing.T) {
	a, b := twoReplicas(t)
	a.deploy(t, bpmnDoc(timerThenJob))
	const n = 120
	ids := make([]string, n)
	for i := range ids {
		ids[i] = a.startProcess(t, "p", map[string]any{"i": i}, "").GetId()
	}
	a.clock.Add(2 * time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var completed sync.Map
	g, gctx := errgroup.WithContext(ctx)
	for w, e := range []*env{a, b, a, b} {
		g.Go(func() error { return work(gctx, e, fmt.Sprintf("worker-%d", w), &completed, n) })
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	testkit.Eventually(t, 30*time.Second, "every instance completes", func() error {
		for _, id := range ids {
			if s := a.instance(t, id).GetState(); s != "completed" {
				return fmt.Errorf("instance %s is %s", id, s)
			}
		}
		return nil
	})
	for kind, want := range map[string]int{"timer.fired": 1, "job.completed": 1, "instance.ended": 1} {
		counts := countHistory(t, a, kind)
		if len(counts) != n {
			t.Errorf("%s for %d instances, want %d", kind, len(counts), n)
		}
		for id, c := range counts {
			if c != want {
				t.Errorf("instance %s: %s %d times", id, kind, c)
			}
		}
	}
}

// work activates and completes jobs of type "work" until n were completed (by anyone).
func work(ctx context.Context, e *env, worker string, completed *sync.Map, n int) error {
	for ctx.Err() == nil {
		if count(completed) >= n {
			return nil
		}
		out, err := e.jobs.ActivateJobs(ctx, &workflowv1.ActivateJobsRequest{Type: "work", Worker: worker, MaxJobsToActivate: 5, RequestTimeout: 200})
		if err != nil {
			return err
		}
		for _, j := range out.GetJobs() {
			if _, loaded := completed.LoadOrStore(j.GetKey(), worker); loaded {
				return fmt.Errorf("job %s handed out twice", j.GetKey())
			}
			if _, err := e.jobs.CompleteJob(ctx, &workflowv1.CompleteJobRequest{JobKey: j.GetKey(), Worker: worker, LeaseEpoch: j.GetLeaseEpoch()}); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

func count(m *sync.Map) int {
	n := 0
	m.Range(func(any, any) bool { n++; return true })
	return n
}

// TestAReplicaKilledAfterClaimingLosesNothingAndRepeatsNothing: a replica claims every due timer and a
// worker leases every job, then both die. Nothing fires or completes until their leases run out; then the
// surviving replica fires each timer once and another worker completes each job once, and the dead
// replica's claims (old epochs) can no longer act.
func TestAReplicaKilledAfterClaimingLosesNothingAndRepeatsNothing(t *testing.T) {
	a, _ := twoReplicas(t)
	a.deploy(t, bpmnDoc(timerThenJob))
	const n = 20
	for i := range n {
		a.startProcess(t, "p", map[string]any{"i": i}, "")
	}
	ctx := context.Background()
	// The dead replica's claim, as ClaimTimers makes it: its owner, a new epoch, a lease of 30 s.
	a.clock.Add(2 * time.Minute)
	now := a.clock.Now()
	tag, err := a.pool.Exec(ctx, `UPDATE timer SET owner = 'dead-replica', epoch = epoch + 1, lease_until = $1, fire_at = $1
WHERE instance_id IS NOT NULL`, now.Add(30*time.Second))
	if err != nil || tag.RowsAffected() != n {
		t.Fatalf("claimed %d: %v", tag.RowsAffected(), err)
	}
	if fired, err := a.svc.App().FireDue(ctx); err != nil || fired != 0 {
		t.Fatalf("fired %d timers another replica holds (%v)", fired, err)
	}
	a.clock.Add(31 * time.Second)
	testkit.Eventually(t, 20*time.Second, "the timers fire after the dead replica's lease", func() error {
		if c := countHistory(t, a, "timer.fired"); len(c) != n {
			return fmt.Errorf("%d of %d fired", len(c), n)
		}
		return nil
	})
	var zombies int
	if err := a.pool.QueryRow(ctx, `SELECT count(*) FROM timer WHERE owner = 'dead-replica'`).Scan(&zombies); err != nil || zombies != 0 {
		t.Fatalf("%d timers still held by the dead replica (%v)", zombies, err)
	}
	dead := a.activate(t, "work", "dead-worker", n)
	if len(dead) != n {
		t.Fatalf("leased %d jobs", len(dead))
	}
	a.clock.Add(2 * time.Minute) // the worker died; its leases (1 min) run out
	var completed sync.Map
	if err := work(ctx, a, "survivor", &completed, n); err != nil {
		t.Fatal(err)
	}
	for _, j := range dead {
		_, err := a.jobs.CompleteJob(ctx, &workflowv1.CompleteJobRequest{JobKey: j.GetKey(), Worker: "dead-worker", LeaseEpoch: j.GetLeaseEpoch()})
		if err == nil {
			t.Fatal("the dead worker completed a job after losing its lease")
		}
	}
	for kind, want := range map[string]int{"timer.fired": 1, "job.completed": 1} {
		for id, c := range countHistory(t, a, kind) {
			if c != want {
				t.Errorf("instance %s: %s %d times", id, kind, c)
			}
		}
	}
}
