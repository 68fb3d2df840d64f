package app

import (
	"context"
	"encoding/json"
	"time"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// release builds the OCDS release of a lifecycle change: a small stand-in of this service's own, kept
// behind one function so that internal/ocds (release types, merging, schema validation) can replace it.
// Bid contents appear only once the bids are opened.
func (s *Service) release(ctx context.Context, tx Tx, e domain.Event, tags []string) (Release, error) {
	t := e.Tender
	id := newID()
	doc := map[string]any{
		"ocid": t.OCID, "id": t.OCID + "-" + id, "date": e.At.Format(time.RFC3339), "tag": tags,
		"initiationType": "tender", "language": "en",
		"buyer":  map[string]any{"name": t.BuyerOrg},
		"tender": ocdsTender(t),
	}
	if e.Award != nil {
		doc["awards"] = []any{map[string]any{"id": e.Award.ID, "status": ocdsAwardStatus(e.Award.Status), "date": e.Award.DecidedAt.Format(time.RFC3339),
			"value": map[string]any{"amount": e.Award.Value, "currency": e.Award.Currency}, "suppliers": []any{map[string]any{"id": e.Award.CompanyID}}}}
	}
	if e.Contract != nil {
		doc["contracts"] = []any{ocdsContract(*e.Contract)}
	}
	if e.Type == domain.EvTenderBidsOpened {
		bids, err := tx.Bids(ctx, t.ID)
		if err != nil {
			return Release{}, err
		}
		var details []any
		for _, b := range bids {
			details = append(details, map[string]any{"id": b.ID, "status": b.Status, "date": b.SubmittedAt.Format(time.RFC3339),
				"tenderers": []any{map[string]any{"id": b.CompanyID}}, "value": map[string]any{"amount": b.Contents.Price, "currency": t.Currency}})
		}
		doc["bids"] = map[string]any{"details": details}
	}
	data, err := json.Marshal(doc)
	return Release{ID: t.OCID + "-" + id, OCID: t.OCID, Date: e.At, Tags: tags, JSON: data}, err
}

func ocdsTender(t domain.Tender) map[string]any {
	status := t.Status
	switch status {
	case domain.StatusEvaluation, domain.StatusAwarded, domain.StatusContracted:
		status = "active"
	}
	items := make([]any, 0, len(t.Items))
	for _, it := range t.Items {
		items = append(items, map[string]any{"id": it.ID, "description": it.Description, "quantity": it.Quantity,
			"classification": map[string]any{"scheme": "CPV", "id": it.CPV}, "unit": map[string]any{"name": it.Unit}})
	}
	docs := make([]any, 0, len(t.Documents))
	for _, d := range t.Documents {
		doc := map[string]any{"id": d.ID, "title": d.Title}
		if d.URL != "" {
			doc["url"] = d.URL
		}
		docs = append(docs, doc)
	}
	return map[string]any{"id": t.ID, "title": t.Title, "description": t.Description, "status": status, "documents": docs,
		"value": map[string]any{"amount": t.EstimatedValue, "currency": t.Currency}, "items": items,
		"enquiryPeriod": map[string]any{"startDate": t.PublishedAt.Format(time.RFC3339), "endDate": t.EnquiryEnd.Format(time.RFC3339)},
		"tenderPeriod":  map[string]any{"startDate": t.PublishedAt.Format(time.RFC3339), "endDate": t.TenderEnd.Format(time.RFC3339)}}
}

func ocdsAwardStatus(s string) string {
	switch s {
	case domain.AwardStandstill:
		return "pending"
	case domain.AwardCancelled:
		return "cancelled"
	}
	return "active"
}

func ocdsContract(c domain.Contract) map[string]any {
	var txs []any
	for _, m := range c.Milestones {
		if m.Status == domain.MilestonePaid {
			txs = append(txs, map[string]any{"id": m.ID, "date": m.PaidAt.Format(time.RFC3339),
				"value": map[string]any{"amount": m.Amount, "currency": c.Currency}, "payee": map[string]any{"id": c.CompanyID}})
		}
	}
	return map[string]any{"id": c.ID, "awardID": c.AwardID, "status": c.Status,
		"value":          map[string]any{"amount": c.Value, "currency": c.Currency},
		"period":         map[string]any{"startDate": c.PeriodStart.Format(time.RFC3339), "endDate": c.PeriodEnd.Format(time.RFC3339)},
		"implementation": map[string]any{"transactions": txs}}
}
