package messaging_test

import (
	"fmt"
	"testing"
	"time"

	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/messaging"
)

// BenchmarkAcceptAndDeliver measures, in one run, messages accepted per second through the gRPC API (batches
// of 100) and messages delivered per second to the in-process SMTP sink (from the first accept to the last
// delivery). Run: go test -run '^$' -bench AcceptAndDeliver -benchtime 20x ./ (from services/messaging).
func BenchmarkAcceptAndDeliver(b *testing.B) {
	e := start(b, func(c *messaging.Config, _ *messaging.Deps) { c.RecipientPerHour = 0; c.EmailPerSecond = 0 })
	const per = 100
	emails := make([]string, per)
	begin := time.Now()
	var acceptDur time.Duration
	b.ResetTimer()
	for i := range b.N {
		for j := range emails {
			emails[j] = fmt.Sprintf("bench%d-%d@example.org", i, j)
		}
		s := time.Now()
		_, err := e.msg.SendEmailBatch(authed(), &messagingv1.SendEmailBatchRequest{
			RecipientInfo: &messagingv1.BatchRecipientInfo{BatchEmailAsBase64: b64Recipients(b, emails)},
			EmailContent:  content("Bench")})
		acceptDur += time.Since(s)
		if err != nil {
			b.Fatal(err)
		}
	}
	total := b.N * per
	deadline := time.Now().Add(5 * time.Minute)
	for {
		if n, _ := e.sink.counts(); n >= total {
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("not all delivered")
		}
		time.Sleep(10 * time.Millisecond) // polling
	}
	b.StopTimer()
	b.ReportMetric(float64(total)/acceptDur.Seconds(), "accepted/s")
	b.ReportMetric(float64(total)/time.Since(begin).Seconds(), "delivered/s")
}
