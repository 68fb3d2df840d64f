package domain

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Tender statuses (OCDS tender.status where one exists; evaluation, awarded and contracted are the stages
// the lifecycle reports between active and complete).
const (
	StatusDraft        = "draft"
	StatusActive       = "active"
	StatusEvaluation   = "evaluation"
	StatusAwarded      = "awarded"
	StatusContracted   = "contracted"
	StatusComplete     = "complete"
	StatusCancelled    = "cancelled"
	StatusUnsuccessful = "unsuccessful"
)

// Criterion kinds.
const (
	KindPrice   = "price"
	KindQuality = "quality"
)

// Limits of a tender's contents.
const (
	MaxItems           = 200
	MaxLots            = 50
	MaxCriteria        = 20
	MaxEnquiryDays     = 60
	MaxTenderDays      = 120
	DefaultStandstill  = 10
	maxTitle           = 300
	maxDescription     = 20000
	maxItemDescription = 1000
)

// Tender is a buyer's call for bids.
type Tender struct {
	ID, OCID, Title, Description, Status string
	BuyerOrg, BuyerID, BuyerEmail        string
	EstimatedValue, Currency             string
	Items                                []Item
	Lots                                 []Lot
	Criteria                             []Criterion
	EnquiryDays, TenderDays              int
	StandstillDays                       int
	EnquiryEnd, TenderEnd                time.Time
	PublishedAt, BidsOpenedAt, CreatedAt time.Time
	StatusReason                         string
	Documents                            []Document
	// DemoDay, when set, is this tender's own working-day length (govstack dev's demo tenders only, set on
	// the draft outside the API): its periods pass in seconds while every other tender keeps the calendar.
	DemoDay time.Duration
}

// Item is one thing bought; Lot a part awarded on its own; Criterion one way bids are scored.
type (
	Item struct {
		ID, Description, CPV, Unit, LotID string
		Quantity                          int
	}
	Lot struct {
		ID, Title, EstimatedValue string
	}
	Criterion struct {
		ID, Name, Kind string
		Weight         int
	}
	// Document is a reference to a file kept elsewhere (the Registration BB's documents, a URL).
	Document struct {
		ID    string `json:"id"`
		Title string `json:"title"`
		URL   string `json:"url,omitempty"`
	}
)

// MaxDocuments is how many documents a tender or a bid references at most.
const MaxDocuments = 50

// CheckDocuments names the bad references of a list of documents at field name.
func CheckDocuments(name string, docs []Document) []apierr.FieldViolation {
	var v []apierr.FieldViolation
	if len(docs) > MaxDocuments {
		v = append(v, field(name, "at most %d documents", MaxDocuments))
	}
	for i, d := range docs {
		at := name + "[" + strconv.Itoa(i) + "]"
		if n := utf8.RuneCountInString(strings.TrimSpace(d.ID)); n == 0 || n > 200 {
			v = append(v, field(at+".id", "required: the document's id (1 to 200 characters)"))
		}
		if n := utf8.RuneCountInString(strings.TrimSpace(d.Title)); n == 0 || n > 300 {
			v = append(v, field(at+".title", "required, at most 300 characters"))
		}
		if d.URL != "" && !strings.HasPrefix(d.URL, "https://") {
			v = append(v, field(at+".url", "an https URL, or leave it out"))
		}
	}
	return v
}

// cpvPattern is a CPV 2008 code: eight digits, a dash and a check digit.
var cpvPattern = regexp.MustCompile(`^[0-9]{8}-[0-9]$`)

// CheckDraft checks what a draft may hold at all: sizes and lengths (text Postgres cannot store is refused
// by the api layer). Completeness is checked at publication.
func (t Tender) CheckDraft() error {
	var v []apierr.FieldViolation
	if utf8.RuneCountInString(t.Title) > maxTitle {
		v = append(v, field("tender.title", "at most %d characters", maxTitle))
	}
	if utf8.RuneCountInString(t.Description) > maxDescription {
		v = append(v, field("tender.description", "at most %d characters", maxDescription))
	}
	if len(t.Items) > MaxItems || len(t.Lots) > MaxLots || len(t.Criteria) > MaxCriteria {
		v = append(v, field("tender", "at most %d items, %d lots and %d award criteria", MaxItems, MaxLots, MaxCriteria))
	}
	v = append(v, CheckDocuments("tender.documents", t.Documents)...)
	if len(v) > 0 {
		return invalid("the draft is too large: see details", v)
	}
	return nil
}

// CheckPublishable names every field that keeps the draft from being published.
func (t Tender) CheckPublishable() error {
	var v []apierr.FieldViolation
	if strings.TrimSpace(t.Title) == "" {
		v = append(v, field("tender.title", "required"))
	}
	if strings.TrimSpace(t.Description) == "" {
		v = append(v, field("tender.description", "required"))
	}
	if _, ok := Cents(t.EstimatedValue); !ok {
		v = append(v, field("tender.estimatedValue", "%q is not an amount: a decimal string such as \"125000.00\"", t.EstimatedValue))
	}
	if !currencies[t.Currency] {
		v = append(v, field("tender.currency", "%q is not one of EUR, GBP, USD, KES, ZAR, INR", t.Currency))
	}
	v = append(v, t.checkItems()...)
	v = append(v, t.checkCriteria()...)
	v = append(v, t.checkPeriods()...)
	if len(v) > 0 {
		return invalid("the tender cannot be published yet: see details", v)
	}
	return nil
}

func (t Tender) checkItems() []apierr.FieldViolation {
	var v []apierr.FieldViolation
	if len(t.Items) == 0 {
		v = append(v, field("tender.items", "at least one item"))
	}
	lots := map[string]bool{}
	for i, l := range t.Lots {
		lots[l.ID] = true
		if strings.TrimSpace(l.Title) == "" {
			v = append(v, field("tender.lots["+strconv.Itoa(i)+"].title", "required"))
		}
		if _, ok := Cents(l.EstimatedValue); l.EstimatedValue != "" && !ok {
			v = append(v, field("tender.lots["+strconv.Itoa(i)+"].estimatedValue", "a decimal string such as \"5000.00\""))
		}
	}
	for i, it := range t.Items {
		at := "tender.items[" + strconv.Itoa(i) + "]"
		if !cpvPattern.MatchString(it.CPV) {
			v = append(v, field(at+".cpvCode", "%q is not a CPV code: eight digits, a dash and a check digit, e.g. 30200000-1", it.CPV))
		}
		if it.Quantity < 1 {
			v = append(v, field(at+".quantity", "at least 1"))
		}
		if d := strings.TrimSpace(it.Description); d == "" || utf8.RuneCountInString(d) > maxItemDescription {
			v = append(v, field(at+".description", "required, at most %d characters", maxItemDescription))
		}
		if it.LotID != "" && !lots[it.LotID] {
			v = append(v, field(at+".lotId", "%q is not one of the tender's lots", it.LotID))
		}
	}
	return v
}

func (t Tender) checkCriteria() []apierr.FieldViolation {
	var v []apierr.FieldViolation
	sum, price := 0, false
	for i, c := range t.Criteria {
		at := "tender.awardCriteria[" + strconv.Itoa(i) + "]"
		if c.Kind != KindPrice && c.Kind != KindQuality {
			v = append(v, field(at+".kind", "%q: price or quality", c.Kind))
		}
		if c.Weight < 1 || c.Weight > 100 {
			v = append(v, field(at+".weight", "1 to 100 (percent)"))
		}
		if strings.TrimSpace(c.Name) == "" {
			v = append(v, field(at+".name", "required"))
		}
		price = price || c.Kind == KindPrice
		sum += c.Weight
	}
	if len(t.Criteria) == 0 || sum != 100 {
		v = append(v, field("tender.awardCriteria", "the weights sum to %d: they must sum to 100", sum))
	}
	if len(t.Criteria) > 0 && !price {
		v = append(v, field("tender.awardCriteria", "a price criterion is required (best value weighs price and quality)"))
	}
	return v
}

func (t Tender) checkPeriods() []apierr.FieldViolation {
	var v []apierr.FieldViolation
	if t.EnquiryDays < 1 || t.EnquiryDays > MaxEnquiryDays {
		v = append(v, field("tender.enquiryPeriodDays", "1 to %d working days", MaxEnquiryDays))
	}
	if t.TenderDays <= t.EnquiryDays || t.TenderDays > MaxTenderDays {
		v = append(v, field("tender.tenderPeriodDays", "more than the enquiry period and at most %d working days", MaxTenderDays))
	}
	if t.StandstillDays < 0 || t.StandstillDays > 30 {
		v = append(v, field("tender.standstillDays", "0 to 30 working days (0: the default, %d)", DefaultStandstill))
	}
	return v
}

// Publish checks the draft and sets its periods from working days on cal, starting now.
func (t *Tender) Publish(now time.Time, cal Calendar) error {
	if t.Status != StatusDraft {
		return wrongStatus("the tender", t.Status, StatusDraft)
	}
	if err := t.CheckPublishable(); err != nil {
		return err
	}
	if t.StandstillDays == 0 {
		t.StandstillDays = DefaultStandstill
	}
	t.Status, t.PublishedAt = StatusActive, now
	cal = cal.For(*t)
	t.EnquiryEnd = cal.AddWorkingDays(now, t.EnquiryDays)
	t.TenderEnd = cal.AddWorkingDays(now, t.TenderDays)
	return nil
}

// Open marks the bids opened at the end of the tender period.
func (t *Tender) Open(now time.Time) error {
	if t.Status != StatusActive {
		return wrongStatus("the tender", t.Status, StatusActive)
	}
	if now.Before(t.TenderEnd) {
		return apierr.FailedPrecondition(ReasonWrongStatus, "the tender period has not ended: bids open at "+t.TenderEnd.Format(time.RFC3339))
	}
	t.Status, t.BidsOpenedAt = StatusEvaluation, now
	return nil
}

// Ended reports whether the tender is over (nothing more happens to it).
func (t Tender) Ended() bool {
	return t.Status == StatusComplete || t.Status == StatusCancelled || t.Status == StatusUnsuccessful
}

// Cancel ends the tender at any stage before it is over.
func (t *Tender) Cancel(reason string) error {
	if t.Ended() {
		return wrongStatus("the tender", t.Status, "not yet complete, cancelled or unsuccessful")
	}
	if r := strings.TrimSpace(reason); r == "" || utf8.RuneCountInString(r) > 2000 {
		return invalid("say why the tender is cancelled", []apierr.FieldViolation{field("reason", "required, at most 2000 characters")})
	}
	t.Status, t.StatusReason = StatusCancelled, strings.TrimSpace(reason)
	return nil
}

// Unsuccessful ends the tender without an award (no eligible bid).
func (t *Tender) Unsuccessful(reason string) error {
	if t.Ended() {
		return wrongStatus("the tender", t.Status, "not yet over")
	}
	t.Status, t.StatusReason = StatusUnsuccessful, reason
	return nil
}

// Advance moves the tender to a later stage (awarded, contracted, complete) from the stage before it.
func (t *Tender) Advance(from, to string) error {
	if t.Status != from {
		return wrongStatus("the tender", t.Status, from)
	}
	t.Status = to
	return nil
}

// InEnquiry reports whether questions may be asked at now.
func (t Tender) InEnquiry(now time.Time) bool {
	return t.Status == StatusActive && now.Before(t.EnquiryEnd)
}

// TakesBids reports whether bids may be submitted, changed or withdrawn at now.
func (t Tender) TakesBids(now time.Time) error {
	if t.Status != StatusDraft && !t.TenderEnd.IsZero() && !now.Before(t.TenderEnd) {
		return apierr.FailedPrecondition(ReasonPeriodEnded,
			"the tender period ended at "+t.TenderEnd.UTC().Format(time.RFC3339)+": bids are no longer accepted")
	}
	if t.Status != StatusActive {
		return wrongStatus("the tender", t.Status, "active (published, taking bids)")
	}
	return nil
}

// Criterion returns the criterion with id.
func (t Tender) Criterion(id string) (Criterion, bool) {
	for _, c := range t.Criteria {
		if c.ID == id {
			return c, true
		}
	}
	return Criterion{}, false
}
