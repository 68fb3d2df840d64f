package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
	"github.com/govstackbb/marketplace/services/procurement/internal/ocds"
)

// release builds the OCDS release of a lifecycle change with internal/ocds (mapping in ocdsmap.go). Each
// release repeats the whole current state of the process — tender, bids, award, contract — so one read
// alone tells the story and the merge yields the same record whichever releases it is given. Bid contents
// appear only once the bids are opened (ocds.PublishBids). The release must pass ocds.Check: a failure is
// a bug of the mapping, and the change fails with it rather than publish an invalid document.
func (s *Service) release(ctx context.Context, tx Tx, e domain.Event, tags []string) (Release, error) {
	st, err := s.processState(ctx, tx, e)
	if err != nil {
		return Release{}, err
	}
	r := buildRelease(st, e, tagsFor(st, e, tags), e.Tender.OCID+"-"+newID())
	if err := ocds.Check(r); err != nil {
		return Release{}, fmt.Errorf("OCDS release of %s for %s: %w", e.Type, e.Tender.OCID, err)
	}
	data, err := json.Marshal(r)
	return Release{ID: r.ID, OCID: r.OCID, Date: r.Date, Tags: r.Tag, JSON: data}, err
}

// processState is what a release says: the tender and, read in the change's transaction, its bids,
// questions, award and contracts — the event's own award and contract win over the stored ones.
type processState struct {
	tender       domain.Tender
	bids         []domain.Bid
	hasQuestions bool
	awards       []domain.Award
	contracts    []domain.Contract
}

func (s *Service) processState(ctx context.Context, tx Tx, e domain.Event) (processState, error) {
	st := processState{tender: e.Tender}
	var err error
	if st.bids, err = tx.Bids(ctx, e.Tender.ID); err != nil {
		return st, err
	}
	qs, err := tx.Questions(ctx, e.Tender.ID)
	if err != nil {
		return st, err
	}
	st.hasQuestions = len(qs) > 0
	if e.Tender.Status == domain.StatusActive && e.Award == nil {
		return st, nil // taking bids: no award nor contract can exist yet (two queries fewer per bid)
	}
	if st.awards, err = tx.Awards(ctx, e.Tender.ID); err != nil {
		return st, err
	}
	if st.contracts, err = tx.Contracts(ctx, e.Tender.ID); err != nil {
		return st, err
	}
	if e.Award != nil {
		st.awards = replaceByID(st.awards, *e.Award, func(a domain.Award) string { return a.ID })
	}
	if e.Contract != nil {
		st.contracts = replaceByID(st.contracts, *e.Contract, func(c domain.Contract) string { return c.ID })
	}
	return st, nil
}

// replaceByID puts v in place of the item with its id, or appends it.
func replaceByID[T any](list []T, v T, id func(T) string) []T {
	for i := range list {
		if id(list[i]) == id(v) {
			list[i] = v
			return list
		}
	}
	return append(list, v)
}

// tagsFor keeps the caller's tags but for the implementation stage: the first release about a contract's
// delivery or payment is "implementation", every later one "implementationUpdate" (the README's mapping).
func tagsFor(st processState, e domain.Event, tags []string) []string {
	if e.Type != domain.EvMilestoneDelivered && e.Type != domain.EvMilestonePaid {
		return tags
	}
	done := 0
	for _, c := range st.contracts {
		for _, m := range c.Milestones {
			if m.Status != domain.MilestoneScheduled {
				done++
			}
		}
	}
	if e.Type == domain.EvMilestoneDelivered && done == 1 {
		return []string{ocds.TagImplementation}
	}
	return []string{ocds.TagImplementationUpdate}
}

// buildRelease maps the process's state to one release dated at the event.
func buildRelease(st processState, e domain.Event, tags []string, id string) ocds.Release {
	t := st.tender
	at := e.At.UTC()
	buyer := buyerRef(t)
	r := ocds.Release{OCID: t.OCID, ID: id, Date: at, Tag: tags, InitiationType: "tender", Language: "en", Buyer: &buyer}
	opened := !t.BidsOpenedAt.IsZero()
	r.Tender = ocdsTender(st, opened)
	r.Bids = ocds.PublishBids(ocdsBids(st.bids, t.Currency, opened), opened, at)
	for _, a := range st.awards {
		r.Awards = append(r.Awards, ocdsAward(a, t))
	}
	for _, c := range st.contracts {
		r.Contracts = append(r.Contracts, ocdsContract(c, t))
	}
	r.Parties = parties(st, opened)
	return r
}

// timeOrZero is t in UTC, the zero time staying zero (omitted).
func timeOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}
