package procurement

import (
	"context"
	"testing"
	"time"

	procv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/api"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// BenchmarkRedFlags asks for the red flags over 200 processes (each published with three bids opened at its
// deadline: five releases): "cold" with no record compiled yet (a fresh replica), "warm" with nothing new
// since the last request, "one new" with one process appended between requests.
func BenchmarkRedFlags(b *testing.B) {
	const processes = 200
	w := newWorld(b)
	for range processes {
		tender := w.publishWithBids(map[string]string{"C1": "9100.00", "C2": "8800.50", "C3": "8000.00"})
		w.clk.Set(tender.TenderEnd)
		w.must(w.uc.DeadlineReached(w.ctx, w.st.InTx, "procurement/tender/"+tender.ID+"/tender-period"))
	}
	ask := func(b *testing.B, uc *app.Service) {
		if _, err := api.NewReporting(uc).ListRedFlags(context.Background(), &procv1.ListRedFlagsRequest{}); err != nil {
			b.Fatal(err)
		}
	}
	fresh := func() *app.Service {
		return app.New(app.Deps{Store: w.st, Releases: w.st, Reports: w.st, Calendar: domain.Calendar{Day: time.Hour}, Now: w.clk.Now})
	}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			ask(b, fresh())
		}
	})
	b.Run("warm", func(b *testing.B) {
		uc := fresh()
		ask(b, uc)
		for b.Loop() {
			ask(b, uc)
		}
	})
	b.Run("one-new", func(b *testing.B) {
		uc := fresh()
		ask(b, uc)
		for b.Loop() {
			b.StopTimer()
			w.publishWithBids(map[string]string{"C1": "9000.00"})
			b.StartTimer()
			ask(b, uc)
		}
	})
}
