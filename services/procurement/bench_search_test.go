package procurement

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"

	procv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/api"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
	"github.com/govstackbb/marketplace/services/procurement/internal/events"
	"github.com/govstackbb/marketplace/services/procurement/internal/seal"
	"github.com/govstackbb/marketplace/services/procurement/internal/store"
)

// searchVocabulary is the words of the benchmark's titles and descriptions besides the few whose frequency
// it controls (searchWords): real ones, then made-up ones (consonant-vowel syllables, which start none of
// the controlled words), so the table has the hundreds of distinct words real tenders have — PostgreSQL
// estimates a prefix search from its statistics only when they hold at least 100 frequent words.
func searchVocabulary(rng *rand.Rand) []string {
	words := strings.Fields(`services telephones cabling ambulance transport catering cleaning security laptops
		software licences maintenance training consultancy furniture stationery printing vehicles fuel uniforms
		medical pharmaceuticals laboratory construction roads bridges schools hospitals libraries waste recycling
		energy heating lighting water insurance legal audit translation`)
	const consonants, vowels = "bdfgklmptv", "aeiou"
	for len(words) < 600 {
		var w strings.Builder
		for range 2 + rng.IntN(3) {
			w.WriteByte(consonants[rng.IntN(len(consonants))])
			w.WriteByte(vowels[rng.IntN(len(vowels))])
		}
		words = append(words, w.String())
	}
	return words
}

// searchWords are the words whose share of tenders the benchmark sets: a common one, two that go together,
// a less common one and a rare one.
var searchWords = []struct {
	word  string
	share float64
}{{"supply", 0.8}, {"network", 0.3}, {"equipment", 0.3}, {"servers", 0.1}, {"interpreting", 0.003}}

var searchCPVs = []string{"32420000-3", "32550000-3", "30213000-5", "48000000-8", "85143000-3", "90911200-8",
	"79710000-4", "39130000-2", "45233120-6", "66510000-8"}

// BenchmarkListTendersSearch lists tenders through the API handler over 2000 published tenders on the real
// Postgres: the first page of 50 for a common word, a rare word, two words, a CPV prefix, a word and a
// CPV prefix, an unfiltered page, and a page deep in the list (before = the 1500th newest).
func BenchmarkListTendersSearch(b *testing.B) {
	const tenders = 2000
	ctx := context.Background()
	pool := pgtest.NewPool(b, Migrations()...)
	keys, err := seal.New(make([]byte, 32))
	if err != nil {
		b.Fatal(err)
	}
	uc := app.New(app.Deps{Store: store.New(pool, events.Encode), Keys: keys})
	h := api.New(uc)
	rng := rand.New(rand.NewPCG(1, 2))
	vocabulary := searchVocabulary(rng)
	zipf := rand.NewZipf(rng, 1.1, 1, uint64(len(vocabulary)-1))
	for i := range tenders {
		d := draft()
		var title, desc []string
		for range 3 {
			title = append(title, vocabulary[zipf.Uint64()])
		}
		for range 12 {
			desc = append(desc, vocabulary[zipf.Uint64()])
		}
		for _, w := range searchWords {
			if rng.Float64() < w.share {
				desc = append(desc, w.word)
			}
		}
		d.Title = fmt.Sprintf("%s for lot %d", strings.Join(title, " "), i)
		d.Description = strings.Join(desc, " ")
		d.Items = []domain.Item{{Description: "item", CPV: searchCPVs[rng.IntN(len(searchCPVs))], Quantity: 1}}
		if _, err := uc.CreateTender(ctx, buyer, d); err != nil {
			b.Fatal(err)
		}
	}
	// Publishing each through the use case would time the sealing keys and OCDS releases, not the search:
	// the drafts are made published in one statement (the seal columns only need to be set).
	if _, err := pool.Exec(ctx, `UPDATE tenders SET status = 'active', seal_public = '\x00', seal_wrapped = '\x00',
		published_at = created_at, tender_end = created_at + interval '20 days'`); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `ANALYZE tenders`); err != nil {
		b.Fatal(err)
	}
	all, err := h.ListTenders(ctx, &procv1.ListTendersRequest{Limit: 500})
	if err != nil {
		b.Fatal(err)
	}
	deep := all.GetTenders()[499].GetId()
	if all, err = h.ListTenders(ctx, &procv1.ListTendersRequest{Limit: 500, Before: deep}); err == nil {
		all, err = h.ListTenders(ctx, &procv1.ListTendersRequest{Limit: 500, Before: all.GetTenders()[499].GetId()})
	}
	if err != nil {
		b.Fatal(err)
	}
	deep = all.GetTenders()[499].GetId()

	for _, c := range []struct {
		name string
		req  *procv1.ListTendersRequest
	}{
		{"q=common", &procv1.ListTendersRequest{Q: "supply"}},
		{"q=rare", &procv1.ListTendersRequest{Q: "interpreting"}},
		{"q=two-words", &procv1.ListTendersRequest{Q: "network equip"}},
		{"cpv=3242", &procv1.ListTendersRequest{Cpv: "3242"}},
		{"q+cpv", &procv1.ListTendersRequest{Q: "servers", Cpv: "48"}},
		{"unfiltered", &procv1.ListTendersRequest{}},
		{"q=common,deep", &procv1.ListTendersRequest{Q: "supply", Before: deep}},
	} {
		b.Run(c.name, func(b *testing.B) {
			found := 0
			for b.Loop() {
				out, err := h.ListTenders(ctx, c.req)
				if err != nil {
					b.Fatal(err)
				}
				found = len(out.GetTenders())
			}
			b.ReportMetric(float64(found), "tenders/page")
		})
	}
}
