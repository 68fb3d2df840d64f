package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

const tenderColumns = `id, ocid, title, description, status, buyer_org, buyer_id, buyer_email, estimated_value, currency,
	items, lots, criteria, enquiry_days, tender_days, standstill_days, enquiry_end, tender_end, published_at,
	bids_opened_at, created_at, status_reason, documents`

// tenderSelect adds what only reads see: the demo working day (written by SetDemoWorkingDay alone).
const tenderSelect = tenderColumns + `, demo_day_ms`

// jsonItem, jsonLot and jsonCriterion are the jsonb shapes of a tender's lists.
type (
	jsonItem struct {
		ID          string `json:"id"`
		Description string `json:"description"`
		CPV         string `json:"cpv"`
		Unit        string `json:"unit"`
		LotID       string `json:"lotId"`
		Quantity    int    `json:"quantity"`
	}
	jsonLot struct {
		ID             string `json:"id"`
		Title          string `json:"title"`
		EstimatedValue string `json:"estimatedValue"`
	}
	jsonCriterion struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Kind   string `json:"kind"`
		Weight int    `json:"weight"`
	}
)

func tenderLists(t domain.Tender) (items, lots, criteria, docs []byte) {
	var is []jsonItem
	for _, i := range t.Items {
		is = append(is, jsonItem(i))
	}
	var ls []jsonLot
	for _, l := range t.Lots {
		ls = append(ls, jsonLot(l))
	}
	var cs []jsonCriterion
	for _, c := range t.Criteria {
		cs = append(cs, jsonCriterion(c))
	}
	items, _ = json.Marshal(orEmpty(is))
	lots, _ = json.Marshal(orEmpty(ls))
	criteria, _ = json.Marshal(orEmpty(cs))
	docs, _ = json.Marshal(orEmpty(t.Documents))
	return items, lots, criteria, docs
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (t *txn) CreateTender(ctx context.Context, d domain.Tender) error {
	items, lots, criteria, docs := tenderLists(d)
	_, err := t.q.Exec(ctx, `INSERT INTO tenders (`+tenderColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
		$13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`, d.ID, d.OCID, d.Title, d.Description, d.Status, d.BuyerOrg, d.BuyerID,
		d.BuyerEmail, d.EstimatedValue, d.Currency, items, lots, criteria, d.EnquiryDays, d.TenderDays, d.StandstillDays,
		nullTime(d.EnquiryEnd), nullTime(d.TenderEnd), nullTime(d.PublishedAt), nullTime(d.BidsOpenedAt), d.CreatedAt, d.StatusReason, docs)
	return err
}

func (t *txn) UpdateTender(ctx context.Context, d domain.Tender) error {
	items, lots, criteria, docs := tenderLists(d)
	_, err := t.q.Exec(ctx, `UPDATE tenders SET title = $2, description = $3, status = $4, estimated_value = $5, currency = $6,
		items = $7, lots = $8, criteria = $9, enquiry_days = $10, tender_days = $11, standstill_days = $12, enquiry_end = $13,
		tender_end = $14, published_at = $15, bids_opened_at = $16, status_reason = $17, documents = $18 WHERE id = $1`,
		d.ID, d.Title, d.Description, d.Status, d.EstimatedValue, d.Currency, items, lots, criteria, d.EnquiryDays, d.TenderDays,
		d.StandstillDays, nullTime(d.EnquiryEnd), nullTime(d.TenderEnd), nullTime(d.PublishedAt), nullTime(d.BidsOpenedAt), d.StatusReason, docs)
	return err
}

func (t *txn) Tender(ctx context.Context, id string, lock bool) (domain.Tender, error) {
	d, err := scanTender(t.q.QueryRow(ctx, `SELECT `+tenderSelect+` FROM tenders WHERE id = $1`+lockClause(lock), id))
	return d, one(err, "tender "+id)
}

func scanTender(r pgx.Row) (domain.Tender, error) {
	var d domain.Tender
	var items, lots, criteria, docs []byte
	var enq, end, pub, opened *time.Time
	var demoDayMS int64
	err := r.Scan(&d.ID, &d.OCID, &d.Title, &d.Description, &d.Status, &d.BuyerOrg, &d.BuyerID, &d.BuyerEmail, &d.EstimatedValue,
		&d.Currency, &items, &lots, &criteria, &d.EnquiryDays, &d.TenderDays, &d.StandstillDays, &enq, &end, &pub, &opened,
		&d.CreatedAt, &d.StatusReason, &docs, &demoDayMS)
	if err != nil {
		return d, err
	}
	d.DemoDay = time.Duration(demoDayMS) * time.Millisecond
	if err := json.Unmarshal(docs, &d.Documents); err != nil {
		return d, err
	}
	d.EnquiryEnd, d.TenderEnd, d.PublishedAt, d.BidsOpenedAt = deref(enq), deref(end), deref(pub), deref(opened)
	var is []jsonItem
	var ls []jsonLot
	var cs []jsonCriterion
	if err := json.Unmarshal(items, &is); err != nil {
		return d, err
	}
	if err := json.Unmarshal(lots, &ls); err != nil {
		return d, err
	}
	if err := json.Unmarshal(criteria, &cs); err != nil {
		return d, err
	}
	for _, i := range is {
		d.Items = append(d.Items, domain.Item(i))
	}
	for _, l := range ls {
		d.Lots = append(d.Lots, domain.Lot(l))
	}
	for _, c := range cs {
		d.Criteria = append(d.Criteria, domain.Criterion(c))
	}
	return d, nil
}

func (t *txn) SetSeal(ctx context.Context, id string, public, wrapped []byte) error {
	_, err := t.q.Exec(ctx, `UPDATE tenders SET seal_public = $2, seal_wrapped = $3 WHERE id = $1`, id, public, wrapped)
	return err
}

func (t *txn) Seal(ctx context.Context, id string) (public, wrapped []byte, err error) {
	err = t.q.QueryRow(ctx, `SELECT seal_public, seal_wrapped FROM tenders WHERE id = $1`, id).Scan(&public, &wrapped)
	return public, wrapped, one(err, "tender "+id)
}

func (t *txn) MarkKeyUnwrapped(ctx context.Context, id string, at time.Time) error {
	_, err := t.q.Exec(ctx, `UPDATE tenders SET key_unwrapped_at = $2 WHERE id = $1`, id, at)
	return err
}

func (t *txn) SetProcessInstance(ctx context.Context, id, instanceID string) error {
	_, err := t.q.Exec(ctx, `UPDATE tenders SET process_instance_id = $2 WHERE id = $1`, id, instanceID)
	return err
}

func (t *txn) TenderOfInstance(ctx context.Context, instanceID string) (string, bool, error) {
	var id string
	err := t.q.QueryRow(ctx, `SELECT id FROM tenders WHERE process_instance_id = $1`, instanceID).Scan(&id)
	if err == pgx.ErrNoRows {
		return "", false, nil
	}
	return id, err == nil, err
}

func (t *txn) AddRelease(ctx context.Context, r app.Release) error {
	_, err := t.q.Exec(ctx, `INSERT INTO ocds_release (id, ocid, date, tags, release) VALUES ($1, $2, $3, $4, $5)`,
		r.ID, r.OCID, r.Date, r.Tags, r.JSON)
	return err
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// SetDemoWorkingDay gives a draft tender its own working-day length (demo data only); it reports whether the
// tender was a draft.
func (s *Store) SetDemoWorkingDay(ctx context.Context, tenderID string, day time.Duration) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE tenders SET demo_day_ms = $2 WHERE id = $1 AND status = 'draft'`, tenderID, day.Milliseconds())
	return tag.RowsAffected() == 1, err
}
