package workflow_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"

	"github.com/govstackbb/marketplace/services/workflow/internal/app"
)

// TestConcurrentStartsWithOneKeyMakeOneInstance: two replicas, many concurrent starts with the same
// idempotency key, or the same business key, straight at the use cases (the platform's Idempotency-Key
// interceptor would answer the duplicates itself: this is the BB's own guarantee underneath, the unique
// indexes); each group ends with one instance and every caller is told its id.
func TestConcurrentStartsWithOneKeyMakeOneInstance(t *testing.T) {
	a, b := twoReplicas(t)
	a.deploy(t, bpmnDoc(serviceChain("x")))
	for _, by := range []string{"idempotency key", "business key"} {
		t.Run(by, func(t *testing.T) {
			ids := make(chan string, 16)
			var wg sync.WaitGroup
			for i := range 16 {
				e := []*env{a, b}[i%2]
				wg.Add(1)
				go func() {
					defer wg.Done()
					in := app.StartInput{ProcessID: "p", IdempotencyKey: "same-start"}
					if by == "business key" {
						in = app.StartInput{ProcessID: "p", BusinessKey: "tender-99"}
					}
					inst, err := e.svc.App().Start(context.Background(), in)
					if err != nil {
						t.Error(err)
						return
					}
					ids <- inst.ID
				}()
			}
			wg.Wait()
			close(ids)
			seen := map[string]bool{}
			for id := range ids {
				seen[id] = true
			}
			if len(seen) != 1 {
				t.Fatalf("%d instances: %v", len(seen), seen)
			}
		})
	}
}

// TestAMessageMeetsAnInstanceThatSubscribesAtTheSameTime: instances subscribing to a key race publishes of
// a message with a time to live for that key, on two replicas; every instance gets its message.
func TestAMessageMeetsAnInstanceThatSubscribesAtTheSameTime(t *testing.T) {
	a, b := twoReplicas(t)
	a.deploy(t, bpmnDoc(`<bpmn:startEvent id="S"/><bpmn:sequenceFlow id="f1" sourceRef="S" targetRef="R"/>
<bpmn:receiveTask id="R" messageRef="Msg"/><bpmn:sequenceFlow id="f2" sourceRef="R" targetRef="U"/><bpmn:userTask id="U"/>`))
	const n = 30
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			ids[i] = a.startProcess(t, "p", map[string]any{"tenderId": fmt.Sprint("T-", i)}, "").GetId()
		}()
		go func() {
			defer wg.Done()
			b.publish(t, "bid", fmt.Sprint("T-", i), "", 60000, map[string]any{"n": i})
		}()
	}
	wg.Wait()
	for i, id := range ids {
		testkit.Eventually(t, 15*time.Second, fmt.Sprint("instance ", i, " gets its bid"), func() error {
			return wantWaitingAll(a.instance(t, id), "U")
		})
	}
}
