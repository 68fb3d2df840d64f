// Package chaos holds the fault tests that take long (issue 12 §4): `make chaos` runs them (GOVSTACK_CHAOS=1);
// they are not part of `make test`.
package chaos

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
	"github.com/govstackbb/marketplace/internal/pgcluster"
)

const client = "eGovStack/GOV/90000009/chaos"

// TestPostgresStoppedUnderLoad runs the whole stack on a private PostgreSQL cluster with clients writing to
// and reading from every BB through the gateway — Registries records, Scheduling bookings of distinct slots,
// Registration buyer registrations with distinct e-mails, Messaging e-mails — stops PostgreSQL for five
// seconds and starts it again. While it is away every answer of every BB is a 2xx, a 4xx the client expects
// (a read of a record not written, a retry while the first attempt is still recorded) or a 503 with
// Retry-After: never a 500. The clients retry their writes with the same Idempotency-Key, so a write whose
// answer was lost is not made twice (never a conflict with one's own record, booking or registration).
// After PostgreSQL returns, every BB answers writes with a 2xx again within recoveryBound, /readyz is 200
// again, every record whose create was answered 200 can be read, and the message log verifies: the records
// it could not write while the database was away are a gap the chain records, never a broken link.
func TestPostgresStoppedUnderLoad(t *testing.T) {
	if os.Getenv("GOVSTACK_CHAOS") == "" {
		t.Skip("a fault test that stops a PostgreSQL server for seconds: run it with make chaos (GOVSTACK_CHAOS=1)")
	}
	pg, err := pgcluster.Open(filepath.Join(t.TempDir(), "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	url, err := pg.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Remove(context.Background()) })
	stack, base := startStack(t, url)
	slots := make(chan slot, 4096)
	listSlots(t, base, slots)
	run := fmt.Sprint(time.Now().UnixNano() % 1_000_000_000)

	var (
		stop    atomic.Bool
		created sync.Map // record id → true, for every create answered 200
		wg      sync.WaitGroup
		load    = map[string]*tally{"registries": {}, "scheduling": {}, "registration": {}, "messaging": {}}
		n       atomic.Int64 // makes every write distinct
	)
	for range 3 {
		wg.Go(func() {
			l := load["registries"]
			for !stop.Load() {
				id := fmt.Sprintf("chaos-%s-%d", run, n.Add(1))
				if l.write(base, request{"POST", "/data/chaos/1.0/create", `{"write":{"content":{"id":"` + id + `"}}}`, "create-" + id, nil}, &stop) {
					created.Store(id, true)
				}
				l.record("read", get(base+"/data/chaos/1.0/read", `{"query":{"content":{"id":"`+id+`"}}}`))
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			l := load["scheduling"]
			for !stop.Load() {
				var sl slot
				select {
				case sl = <-slots:
				default:
					l.note("ran out of free slots to book")
					return
				}
				who := fmt.Sprintf("chaos-%s-%d", run, n.Add(1))
				l.write(base, request{"POST", "/appointment/book", `{"resource_id":"` + sl.resource + `","start_time":"` + sl.start + `",
					"subscriber":{"subscriber_id":"` + who + `","name":"Chaos Client","email":"` + who + `@example.org","national_id":"EE-` + who + `"},
					"reason":"chaos"}`, "book-" + who, nil}, &stop)
				l.record("slots", get(base+"/resource/free_slots?entity_id="+clinic+"&specialty=cardiology"+
					"&from=2027-01-04T00:00:00Z&to=2027-01-05T00:00:00Z", ""))
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			l := load["registration"]
			for !stop.Load() {
				email := fmt.Sprintf("chaos.%s.%d@moj.gov.example", run, n.Add(1))
				l.write(base, request{"POST", "/accounts/buyers", `{"email":"` + email + `","name":"Chaos Buyer","organisation":"Ministry of Justice"}`,
					"buyer-" + email, nil}, &stop)
				l.record("services", get(base+"/services", ""))
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			l := load["messaging"]
			for !stop.Load() {
				to := fmt.Sprintf("chaos-%s-%d@example.org", run, n.Add(1))
				l.write(base, request{"POST", "/send/email/single", `{"recipientInfo":{"email":"` + to + `"},
					"emailContent":{"title":"Chaos","content":"PostgreSQL may be away."}}`, "mail-" + to,
					map[string]string{"apiKey": "govstack-dev-messaging-key"}}, &stop)
			}
		})
	}
	waitFor(t, 60*time.Second, "writes to every BB before the fault", func() bool { return everyBB(load, func(l *tally) bool { return l.writes.Load() >= 10 }) })

	if err := pg.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	outage := time.Now()
	waitFor(t, 30*time.Second, "503s while PostgreSQL is away", func() bool { return anyBB(load, func(l *tally) bool { return l.unavailable.Load() > 0 }) })
	time.Sleep(5*time.Second - time.Since(outage)) // the fault lasts five seconds: the scenario, not a timing guess
	if _, err := pg.Start(ctx); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	for _, l := range load {
		l.back.Store(back.UnixNano())
	}
	waitFor(t, 60*time.Second, "every BB answering writes with a 2xx again", func() bool {
		return everyBB(load, func(l *tally) bool { return l.recovered.Load() != 0 })
	})
	for _, bb := range slices.Sorted(maps.Keys(load)) {
		took := time.Duration(load[bb].recovered.Load() - back.UnixNano())
		t.Logf("%s answered a write with a 2xx %s after PostgreSQL returned", bb, took.Round(10*time.Millisecond))
		if took > recoveryBound {
			t.Errorf("%s took %s to answer a write again, more than %s", bb, took.Round(10*time.Millisecond), recoveryBound)
		}
	}
	waitFor(t, recoveryBound, "/readyz 200 again", func() bool { return get(base+"/readyz", "").code == 200 })
	t.Logf("/readyz 200 again %s after PostgreSQL returned", time.Since(back).Round(10*time.Millisecond))
	stop.Store(true)
	wg.Wait()

	for _, bb := range slices.Sorted(maps.Keys(load)) {
		l := load[bb]
		t.Logf("%s: %s; after PostgreSQL returned:\n%s", bb, l.String(), strings.Join(l.afterBack, "\n"))
		if n := l.bad.Load(); n > 0 {
			t.Errorf("%s: %d answers were neither 2xx, an expected 4xx, nor 503 with Retry-After: %s", bb, n, l.examples())
		}
		if n := l.conflicts.Load(); n > 0 {
			t.Errorf("%s: %d retried writes were refused as duplicates of themselves (409): %s", bb, n, l.examples())
		}
	}
	missing := 0
	created.Range(func(k, _ any) bool {
		if r := get(base+"/data/chaos/1.0/read", `{"query":{"content":{"id":"`+k.(string)+`"}}}`); r.code != 200 {
			missing++
		}
		return true
	})
	if missing > 0 {
		t.Errorf("%d records whose create was answered 200 cannot be read", missing)
	}
	var report strings.Builder
	if err := stack.VerifyLog(ctx, &report); err != nil {
		t.Errorf("the message log after the outage: %v\n%s", err, report.String())
	} else {
		t.Logf("verify-log:\n%s", report.String())
	}
}

// recoveryBound is how soon after PostgreSQL returns every BB must answer writes (and /readyz) again; they
// take well under a second on a quiet machine, and the machines the test runs on are shared.
const recoveryBound = 15 * time.Second

func everyBB(load map[string]*tally, ok func(*tally) bool) bool {
	for _, l := range load {
		if !ok(l) {
			return false
		}
	}
	return true
}

func anyBB(load map[string]*tally, ok func(*tally) bool) bool {
	for _, l := range load {
		if ok(l) {
			return true
		}
	}
	return false
}

// clinic is the test's own clinic: one cardiologist open around the clock, so there are slots to book.
const clinic = "chaos-clinic"

type slot struct{ resource, start string }

// listSlots sets up the clinic through the Scheduler CRUD and sends the free slots of the weeks ahead to out.
func listSlots(t *testing.T, base string, out chan<- slot) {
	t.Helper()
	for _, r := range []request{
		{"POST", "/entity/new", `{"entity_id":"` + clinic + `","name":"Chaos Clinic","city":"Tallinn","time_zone":"Europe/Tallinn","email":"desk@chaos-clinic.example.org"}`, "", nil},
		{"POST", "/resource/new", `{"resource_id":"chaos-doc","name":"Dr. Kaos","category":"doctor","specialty":"cardiology","email":"kaos@chaos-clinic.example.org","slot_minutes":15}`, "", nil},
		{"POST", "/affiliation/new", `{"resource_id":"chaos-doc","entity_id":"` + clinic + `","resource_category":"doctor","work_days_hours":[` + allWeek + `]}`, "", nil},
	} {
		if a := call(r.method, base+r.path, r.body, "", nil); a.code != 200 {
			t.Fatalf("%s %s: %d %s", r.method, r.path, a.code, a.body)
		}
	}
	from := time.Now().UTC().Add(24 * time.Hour).Truncate(24 * time.Hour)
	for week := 0; len(out) < cap(out)-7*96 && week < 20; week++ {
		a := get(base+"/resource/free_slots?entity_id="+clinic+"&specialty=cardiology&from="+
			from.Add(time.Duration(week)*7*24*time.Hour).Format(time.RFC3339)+"&to="+
			from.Add(time.Duration(week+1)*7*24*time.Hour).Format(time.RFC3339), "")
		var page struct {
			Slots []struct {
				ResourceID string `json:"resource_id"`
				StartTime  string `json:"start_time"`
			} `json:"slots"`
		}
		if err := json.Unmarshal([]byte(a.body), &page); a.code != 200 || err != nil {
			t.Fatalf("free slots: %d %s", a.code, a.body)
		}
		for _, s := range page.Slots {
			out <- slot{s.ResourceID, s.StartTime}
		}
	}
	t.Logf("%d free slots to book", len(out))
}

var allWeek = func() string {
	var days []string
	for d := range 7 {
		days = append(days, fmt.Sprintf(`{"weekday":%d,"start":"00:00","end":"24:00"}`, d))
	}
	return strings.Join(days, ",")
}()

func startStack(t *testing.T, databaseURL string) (*devstack.Stack, string) {
	t.Helper()
	cfg, err := devstack.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseURL, cfg.DataDir = databaseURL, t.TempDir()
	cfg.OnFreePorts()
	cfg.RateLimit, cfg.ShutdownTimeout = 0, 5*time.Second
	ctx, cancel := context.WithCancel(context.Background())
	s, err := devstack.New(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		s.Close()
	})
	base := s.URL()
	waitFor(t, 60*time.Second, "the stack ready", func() bool { return get(base+"/readyz", "").code == 200 })
	schema := `{"code":"chaos","version":"1.0","schema":{"type":"object","properties":{"id":{"type":"string"}}}}`
	if r := post(base+"/database/modify", schema, ""); r.code != 200 {
		t.Fatalf("create the chaos registry: %d %s", r.code, r.body)
	}
	return s, base
}

type request struct {
	method, path, body, key string
	headers                 map[string]string
}

// write sends r, retrying a 503 (or a lost answer) with the same Idempotency-Key, as a careful client does;
// it reports whether the write was answered 2xx in the end.
func (s *tally) write(base string, r request, stop *atomic.Bool) bool {
	for attempt := 0; attempt < 50 && !stop.Load(); attempt++ {
		a := call(r.method, base+r.path, r.body, r.key, r.headers)
		s.record("write "+r.path, a)
		switch {
		case a.code >= 200 && a.code < 300:
			s.wrote()
			return true
		case a.code == 409 && strings.Contains(a.body, "IDEMPOTENT_ANSWER_LOST"):
			s.answerLost.Add(1) // our own write was done; its answer is gone
			return true
		case a.code == 409 && strings.Contains(a.body, "IDEMPOTENCY_KEY_IN_USE"):
			// the first attempt's outcome is still being recorded: retry after Retry-After
		case a.code == 409:
			s.conflicts.Add(1)
			s.note(r.path + " 409 " + a.body)
			return false
		case a.code != 503 && a.code != 0:
			return false
		}
		time.Sleep(min(time.Duration(attempt+1)*100*time.Millisecond, time.Second)) // the client's backoff
	}
	return false
}

type answer struct {
	code       int
	body       string
	retryAfter string
	took       time.Duration
}

var httpClient = &http.Client{Timeout: 30 * time.Second}

func get(url, body string) answer { return call(http.MethodGet, url, body, "") }

func post(url, body, key string) answer { return call(http.MethodPost, url, body, key) }

func call(method, url, body, key string, headers ...map[string]string) answer {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
		if method == http.MethodGet {
			method = http.MethodPost // the read endpoint is a POST with a query body
		}
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return answer{body: err.Error()}
	}
	req.Header.Set("Information-Mediator-Client", client)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	for _, h := range headers {
		for k, v := range h {
			req.Header.Set(k, v)
		}
	}
	start := time.Now()
	resp, err := httpClient.Do(req)
	if err != nil {
		return answer{body: err.Error(), took: time.Since(start)} // code 0: the answer was lost
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{code: resp.StatusCode, body: string(b), retryAfter: resp.Header.Get("Retry-After"), took: time.Since(start)}
}

// tally counts one BB's answers; bad is anything but a 2xx, a 404 of a read, a 409 the writer handles, or a
// 503 with Retry-After.
type tally struct {
	ok, unavailable, bad, conflicts, lost, answerLost, writes atomic.Int64
	writeCalls, writeNanos                                    atomic.Int64 // every write attempt and its time
	back, recovered                                           atomic.Int64 // unix nanos: PostgreSQL back; the first 2xx write after it
	mu                                                        sync.Mutex
	bads                                                      []string
	afterBack                                                 []string // the answers after PostgreSQL returned, until the first 2xx write
}

// wrote counts a write answered 2xx, and notes the first one after PostgreSQL returned.
func (s *tally) wrote() {
	s.writes.Add(1)
	if back := s.back.Load(); back != 0 {
		s.recovered.CompareAndSwap(0, time.Now().UnixNano())
	}
}

func (s *tally) record(what string, r answer) {
	if b := s.back.Load(); b != 0 && s.recovered.Load() == 0 { // what the BB answered until it recovered
		s.mu.Lock()
		if len(s.afterBack) < 10 {
			s.afterBack = append(s.afterBack, fmt.Sprintf("  +%s %s: %d in %s %.120s", time.Duration(time.Now().UnixNano()-b).Round(time.Millisecond),
				what, r.code, r.took.Round(time.Millisecond), r.body))
		}
		s.mu.Unlock()
	}
	if strings.HasPrefix(what, "write") {
		s.writeCalls.Add(1)
		s.writeNanos.Add(int64(r.took))
	}
	switch {
	case r.code >= 200 && r.code < 300, r.code == 404 && what == "read":
		s.ok.Add(1)
	case r.code == 503 && r.retryAfter != "":
		s.unavailable.Add(1)
	case r.code == 0:
		s.lost.Add(1)
	case r.code == 409 && strings.Contains(r.body, "IDEMPOTENCY_KEY_IN_USE"):
		s.unavailable.Add(1) // a "retry shortly" of the idempotency keeper, with Retry-After
	case r.code == 409 && strings.HasPrefix(what, "write"):
		// the writer sorts these out: its own answer lost, or a conflict with itself (counted there)
	default:
		s.bad.Add(1)
		s.note(fmt.Sprintf("%s %d %.300s", what, r.code, r.body))
	}
}

func (s *tally) note(what string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.bads) < 5 {
		s.bads = append(s.bads, what)
	}
}

func (s *tally) String() string {
	mean := time.Duration(0)
	if n := s.writeCalls.Load(); n > 0 {
		mean = time.Duration(s.writeNanos.Load() / n)
	}
	return fmt.Sprintf("%d ok (%d writes, %s each on average), %d × 503 with Retry-After, %d lost answers, %d writes done whose answer was lost, %d other",
		s.ok.Load(), s.writes.Load(), mean.Round(time.Millisecond), s.unavailable.Load(), s.lost.Load(), s.answerLost.Load(), s.bad.Load())
}

func (s *tally) examples() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.bads, "; ")
}

func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
