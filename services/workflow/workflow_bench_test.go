package workflow_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/govstackbb/marketplace/platform/natsbus/natstest"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"

	"github.com/govstackbb/marketplace/services/workflow"
	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/domain"
)

// offsetClock is the real clock moved by an offset: benchmarks jump to a due instant and then let time run.
type offsetClock struct{ off atomic.Int64 }

func (c *offsetClock) Now() time.Time       { return time.Now().Add(time.Duration(c.off.Load())) }
func (c *offsetClock) Jump(d time.Duration) { c.off.Add(int64(d)) }

// benchReplicas runs n engines (the use cases, no gRPC and no background loops: the benchmark drives them)
// on one fresh database.
func benchReplicas(b *testing.B, n int, clk func() time.Time, timerLease time.Duration) (*pgxpool.Pool, []*app.Service) {
	b.Helper()
	pool := pgtest.NewPool(b, workflow.Migrations()...)
	_, js := natstest.Start(b)
	var out []*app.Service
	for i := range n {
		svc, err := workflow.New(workflow.Config{TimerPollInterval: time.Second, JobLease: time.Minute, TimerLease: timerLease,
			IMClient: "GOVSTACK/GOV/GOVSTACK/workflow"}, workflow.Deps{Pool: pool, JetStream: js, Logger: quietLog(), Now: clk,
			Owner: fmt.Sprintf("bench-%d", i)})
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, svc.App())
	}
	return pool, out
}

func benchDeploy(b *testing.B, a *app.Service, doc string) {
	b.Helper()
	if _, err := a.Deploy(context.Background(), app.DeployInput{XML: doc, Field: "bpmnXml"}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkThreeServiceTaskInstances: instances of start -> three service tasks -> end, started and driven
// to completion by w workers (each activating up to 32 jobs at a time and completing them), all on one
// engine in-process. Reported: completed instances per second.
func BenchmarkThreeServiceTaskInstances(b *testing.B) {
	for _, workers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			_, reps := benchReplicas(b, 1, nil, 30*time.Second)
			a := reps[0]
			benchDeploy(b, a, bpmnDoc(serviceChain("w", "w", "w")))
			ctx := context.Background()
			var done atomic.Int64
			want := int64(3 * b.N)
			b.ResetTimer()
			began := time.Now()
			g, gctx := errgroup.WithContext(ctx)
			var started atomic.Int64
			for range workers { // as many clients starting instances as workers doing them
				g.Go(func() error {
					for started.Add(1) <= int64(b.N) {
						if _, err := a.Start(gctx, app.StartInput{ProcessID: "p"}); err != nil {
							return err
						}
					}
					return nil
				})
			}
			for w := range workers {
				g.Go(func() error { return benchWorker(gctx, a, fmt.Sprint("worker-", w), &done, want) })
			}
			if err := g.Wait(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "instances/s")
		})
	}
}

// benchWorker activates and completes jobs of type w until want jobs were completed by all workers.
func benchWorker(ctx context.Context, a *app.Service, name string, done *atomic.Int64, want int64) error {
	for done.Load() < want {
		jobs, err := a.Activate(ctx, app.ActivateInput{Type: "w", Worker: name, Max: 32, Wait: 20 * time.Millisecond})
		if err != nil {
			return err
		}
		for _, j := range jobs {
			if err := a.CompleteJob(ctx, j.ID, domain.Lease{Worker: name, Epoch: j.Epoch}, nil); err != nil {
				return err
			}
			done.Add(1)
		}
	}
	return nil
}

// BenchmarkBareTransactions is the physical limit the engine is measured against: per instance, the four
// commits the engine cannot do without (the start, and the completion of each of three jobs), each locking
// and rewriting one row of about the instance's size and appending a history line — with none of the engine's
// work. w concurrent sessions, as the engine's workers.
func BenchmarkBareTransactions(b *testing.B) {
	for _, workers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			pool, _ := benchReplicas(b, 1, nil, 30*time.Second)
			ctx := context.Background()
			if _, err := pool.Exec(ctx, `CREATE TABLE bare (id bigint PRIMARY KEY, doc jsonb NOT NULL);
CREATE TABLE bare_history (seq bigserial PRIMARY KEY, id bigint, at timestamptz DEFAULT now())`); err != nil {
				b.Fatal(err)
			}
			doc := `{"state": "` + strings.Repeat("x", 600) + `"}`
			var next atomic.Int64
			b.ResetTimer()
			began := time.Now()
			g, gctx := errgroup.WithContext(ctx)
			for range workers {
				g.Go(func() error {
					for {
						id := next.Add(1)
						if id > int64(b.N) {
							return nil
						}
						if err := bareInstance(gctx, pool, id, doc); err != nil {
							return err
						}
					}
				})
			}
			if err := g.Wait(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "instances/s")
		})
	}
}

func bareInstance(ctx context.Context, pool *pgxpool.Pool, id int64, doc string) error {
	if _, err := pool.Exec(ctx, `INSERT INTO bare (id, doc) VALUES ($1, $2)`, id, doc); err != nil {
		return err
	}
	for range 3 {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return err
		}
		var d string
		if err := tx.QueryRow(ctx, `SELECT doc::text FROM bare WHERE id = $1 FOR UPDATE`, id).Scan(&d); err != nil {
			_ = tx.Rollback(ctx)
			return err
		}
		batch := &pgx.Batch{}
		batch.Queue(`UPDATE bare SET doc = $2 WHERE id = $1`, id, d)
		batch.Queue(`INSERT INTO bare_history (id) VALUES ($1)`, id)
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			_ = tx.Rollback(ctx)
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
	}
	return nil
}

// timerAt is start -> a timer due at the variable due -> end.
const timerAt = `<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="Due"/>
<bpmn:intermediateCatchEvent id="Due"><bpmn:timerEventDefinition><bpmn:timeDate>=due</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
<bpmn:sequenceFlow id="f2" sourceRef="Due" targetRef="E"/><bpmn:endEvent id="E"/>`

// BenchmarkTimersDueAtOnce: 10,000 instances wait for timers due at one instant; two engines fire them
// (each claiming batches with a lease and firing each timer in its own transaction). Reported: lateness
// p50 and p99 (from the due instant to the step that fired it) and double fires (must be 0). The "kill"
// variant stops one engine after a fifth of the timers fired: the timers it had claimed wait for their
// lease (2 s) to run out, then the other engine fires them.
func BenchmarkTimersDueAtOnce(b *testing.B) {
	for _, kill := range []bool{false, true} {
		b.Run(map[bool]string{false: "two-replicas", true: "one-killed"}[kill], func(b *testing.B) {
			for range b.N {
				benchTimers(b, 10000, kill)
			}
		})
	}
}

func benchTimers(b *testing.B, n int, kill bool) {
	b.StopTimer()
	clk := &offsetClock{}
	pool, reps := benchReplicas(b, 2, clk.Now, 2*time.Second)
	benchDeploy(b, reps[0], bpmnDoc(timerAt))
	ctx := context.Background()
	due := clk.Now().Add(time.Hour).UTC().Truncate(time.Second)
	starters, _ := errgroup.WithContext(ctx)
	starters.SetLimit(4)
	for range n {
		starters.Go(func() error {
			_, err := reps[0].Start(ctx, app.StartInput{ProcessID: "p", Vars: map[string]any{"due": due.Format(time.RFC3339)}})
			return err
		})
	}
	if err := starters.Wait(); err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
	clk.Jump(due.Sub(clk.Now())) // the instant every timer is due
	var fired atomic.Int64
	var wg sync.WaitGroup
	for i, r := range reps {
		rctx, cancel := context.WithCancel(ctx)
		defer cancel()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for fired.Load() < int64(n) && rctx.Err() == nil {
				c, err := r.FireDue(rctx)
				fired.Add(int64(c))
				if err != nil && rctx.Err() == nil {
					b.Error(err)
					return
				}
				if c == 0 {
					time.Sleep(5 * time.Millisecond)
				}
				if kill && i == 1 && fired.Load() > int64(n/5) {
					cancel() // the second engine dies with what it claimed
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	var p50, p99 float64
	var doubles int
	if err := pool.QueryRow(ctx, `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY l), percentile_cont(0.99) WITHIN GROUP (ORDER BY l)
FROM (SELECT extract(epoch FROM at - $1) AS l FROM history WHERE kind = 'timer.fired') x`, due).Scan(&p50, &p99); err != nil {
		b.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT instance_id FROM history WHERE kind = 'timer.fired'
GROUP BY 1 HAVING count(*) > 1) d`).Scan(&doubles); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(p50*1000, "p50-ms")
	b.ReportMetric(p99*1000, "p99-ms")
	b.ReportMetric(float64(doubles), "double-fires")
	b.ReportMetric(float64(n)/(p99+1e-9), "timers/s@p99")
}
