package msglog

import (
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/imident"
)

// BenchmarkSeal measures chaining and signing one record (what the background writer does per record);
// BenchmarkHashOnly is the same without the signature, i.e. the cost per record if only batch heads were
// signed. The difference is the price of signing every record.
func BenchmarkSeal(b *testing.B) {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	rec := testRecord(1, "EE/GOV/1/app", "EE/GOV/2/reg/registries")
	prev := zeroHash
	for i := 0; b.Loop(); i++ {
		seal(&rec, "chain", int64(i+1), prev, key, "kid")
		prev = rec.Hash
	}
}

func BenchmarkHashOnly(b *testing.B) {
	rec := testRecord(1, "EE/GOV/1/app", "EE/GOV/2/reg/registries")
	rec.PrevHash = zeroHash
	for i := 0; b.Loop(); i++ {
		rec.Seq = int64(i + 1)
		rec.PrevHash = hashOf(&rec)
	}
}

// BenchmarkAppendThroughput is end-to-end writer throughput: records appended, chained, signed and
// committed to Postgres (the timer stops when the last one is stored).
func BenchmarkAppendThroughput(b *testing.B) {
	f := newFixture(b, Options{QueueSize: 1 << 16, BatchSize: benchBatch}, true)
	w := f.log.Writer()
	rec := testRecord(1, "EE/GOV/1/app", "EE/GOV/2/reg/registries")
	n, start := 0, time.Now()
	for b.Loop() {
		if !w.Append(rec) {
			b.Fatal("dropped")
		}
		n++
	}
	f.waitRecords(b, n)
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "stored-records/s")
}

// BenchmarkMiddleware is the per-request cost on the request path: the same handler plain and wrapped.
// The queue is emptied by a goroutine that discards, so the number is what a request pays (streaming
// hashes, two records, two queue sends) and not the database's speed, which BenchmarkAppendThroughput shows.
func BenchmarkMiddleware(b *testing.B) {
	f := newFixture(b, Options{}, false)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-f.log.Writer().queue:
			case <-stop:
				return
			}
		}
	}()
	body := strings.Repeat("x", 512)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = w.Write([]byte(body))
	})
	run := func(b *testing.B, h http.Handler) {
		ctx := imident.NewContext(b.Context(), appClient)
		for b.Loop() {
			req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/r1/EE/GOV/2/reg/registries/data", strings.NewReader(body))
			h.ServeHTTP(httptest.NewRecorder(), req)
		}
	}
	b.Run("plain", func(b *testing.B) { run(b, handler) })
	b.Run("logged", func(b *testing.B) { run(b, Middleware(f.log.Writer(), Options{})(handler)) })
}

// benchBatch is the writer batch size BenchmarkAppendThroughput uses (the default unless tuned here).
var benchBatch = DefaultBatchSize
