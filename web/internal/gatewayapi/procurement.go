package gatewayapi

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// The procurement service's API (services/procurement/README.md): tenders, questions, sealed bids, the
// evaluation, awards with their complaints, contracts and their milestones. Its JSON is protojson's
// (lowerCamelCase); amounts are decimal strings in the tender's currency.

// Tender is a call for bids as the API answers it: the draft's fields and what the API sets.
type Tender struct {
	TenderDraft
	ID                string    `json:"id"`
	OCID              string    `json:"ocid"`
	Status            string    `json:"status"`
	BuyerOrganisation string    `json:"buyerOrganisation"`
	BuyerID           string    `json:"buyerId"`
	EnquiryEnd        time.Time `json:"enquiryEnd"`
	TenderEnd         time.Time `json:"tenderEnd"`
	PublishedAt       time.Time `json:"publishedAt"`
	BidsOpenedAt      time.Time `json:"bidsOpenedAt"`
	CreatedAt         time.Time `json:"createdAt"`
	StatusReason      string    `json:"statusReason"`
}

// Item is one thing a tender buys.
type Item struct {
	ID          string `json:"id,omitempty"`
	Description string `json:"description"`
	CPVCode     string `json:"cpvCode"`
	Quantity    int    `json:"quantity"`
	Unit        string `json:"unit"`
}

// Lot is a part of a tender with its own title and, optionally, estimated value in the tender's currency
// (informational today: bids are for the whole tender).
type Lot struct {
	ID             string `json:"id,omitempty"`
	Title          string `json:"title"`
	EstimatedValue string `json:"estimatedValue,omitempty"`
}

// AwardCriterion is one way bids are scored, with its weight in percent.
type AwardCriterion struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Weight int    `json:"weight"`
}

// DocumentRef is a document a tender or a bid refers to: an id where it is kept, a title, a public URL.
type DocumentRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
}

// TenderDraft is what a buyer drafts or changes (the API checks it fully only at publication).
type TenderDraft struct {
	Title                 string           `json:"title"`
	Description           string           `json:"description"`
	EstimatedValue        string           `json:"estimatedValue"`
	Currency              string           `json:"currency"`
	Items                 []Item           `json:"items"`
	Lots                  []Lot            `json:"lots,omitempty"`
	AwardCriteria         []AwardCriterion `json:"awardCriteria"`
	EnquiryPeriodDays     int              `json:"enquiryPeriodDays"`
	TenderPeriodDays      int              `json:"tenderPeriodDays"`
	StandstillDays        int              `json:"standstillDays,omitempty"`
	RequiresActiveCompany bool             `json:"requiresActiveCompany"`
	Documents             []DocumentRef    `json:"documents,omitempty"`
}

// Question is a supplier's question and the buyer's public answer.
type Question struct {
	ID         string    `json:"id"`
	TenderID   string    `json:"tenderId"`
	Text       string    `json:"text"`
	Answer     string    `json:"answer"`
	AskedAt    time.Time `json:"askedAt"`
	AnsweredAt time.Time `json:"answeredAt"`
}

// Bid is a supplier's offer; price, proposal and documents are empty while it is sealed.
type Bid struct {
	ID                     string        `json:"id"`
	TenderID               string        `json:"tenderId"`
	CompanyID              string        `json:"companyId"`
	Status                 string        `json:"status"`
	Price                  string        `json:"price"`
	Proposal               string        `json:"proposal"`
	Sealed                 bool          `json:"sealed"`
	SubmittedAt            time.Time     `json:"submittedAt"`
	UpdatedAt              time.Time     `json:"updatedAt"`
	DisqualificationReason string        `json:"disqualificationReason"`
	TotalScore             string        `json:"totalScore"`
	Rank                   int           `json:"rank"`
	Documents              []DocumentRef `json:"documents"`
}

// BidInput is what a supplier submits or changes.
type BidInput struct {
	Price     string        `json:"price"`
	Proposal  string        `json:"proposal"`
	Documents []DocumentRef `json:"documents,omitempty"`
}

// CriterionScore is an evaluator's score of a bid on one criterion, with the reason.
type CriterionScore struct {
	CriterionID string    `json:"criterionId"`
	Score       int       `json:"score"`
	Reason      string    `json:"reason"`
	BidID       string    `json:"bidId,omitempty"`
	EvaluatorID string    `json:"evaluatorId,omitempty"`
	ScoredAt    time.Time `json:"scoredAt,omitzero"`
}

// AuditEntry is one recorded step of the evaluation.
type AuditEntry struct {
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Subject string    `json:"subject"`
	Detail  string    `json:"detail"`
	At      time.Time `json:"at"`
}

// Evaluation is a tender's scores, its ranked bids and the audit trail.
type Evaluation struct {
	Scores []CriterionScore `json:"scores"`
	Bids   []Bid            `json:"bids"`
	Audit  []AuditEntry     `json:"audit"`
}

// Award is the decision for the best-value bid and its standstill.
type Award struct {
	ID            string      `json:"id"`
	TenderID      string      `json:"tenderId"`
	BidID         string      `json:"bidId"`
	CompanyID     string      `json:"companyId"`
	Value         string      `json:"value"`
	Currency      string      `json:"currency"`
	Status        string      `json:"status"`
	DecidedAt     time.Time   `json:"decidedAt"`
	StandstillEnd time.Time   `json:"standstillEnd"`
	Complaints    []Complaint `json:"complaints"`
}

// Complaint is a bidder's objection to an award.
type Complaint struct {
	ID         string    `json:"id"`
	CompanyID  string    `json:"companyId"`
	Text       string    `json:"text"`
	Status     string    `json:"status"`
	Resolution string    `json:"resolution"`
	FiledAt    time.Time `json:"filedAt"`
}

// Contract is what the buyer signs with the awarded supplier, paid by milestones.
type Contract struct {
	ID          string      `json:"id"`
	TenderID    string      `json:"tenderId"`
	AwardID     string      `json:"awardId"`
	CompanyID   string      `json:"companyId"`
	Value       string      `json:"value"`
	Currency    string      `json:"currency"`
	Status      string      `json:"status"`
	PeriodStart time.Time   `json:"periodStart"`
	PeriodEnd   time.Time   `json:"periodEnd"`
	Milestones  []Milestone `json:"milestones"`
	SignedAt    time.Time   `json:"signedAt"`
	PayeeKey    string      `json:"payeeKey"`
	PayeeValue  string      `json:"payeeValue"`
}

// Milestone is a delivery the buyer confirms, then Payments pays.
type Milestone struct {
	ID             string    `json:"id"`
	Title          string    `json:"title"`
	Amount         string    `json:"amount"`
	DueDate        time.Time `json:"dueDate"`
	Status         string    `json:"status"`
	DeliveredAt    time.Time `json:"deliveredAt"`
	PaidAt         time.Time `json:"paidAt"`
	PaymentBatchID string    `json:"paymentBatchId"`
}

// ContractInput is what the buyer signs: the period (YYYY-MM-DD), the milestones and the payee.
type ContractInput struct {
	PeriodStart string           `json:"periodStart"`
	PeriodEnd   string           `json:"periodEnd"`
	Milestones  []MilestoneInput `json:"milestones"`
	PayeeKey    string           `json:"payeeKey,omitempty"`
	PayeeValue  string           `json:"payeeValue,omitempty"`
}

// MilestoneInput is one milestone of a contract being signed.
type MilestoneInput struct {
	Title   string `json:"title"`
	Amount  string `json:"amount"`
	DueDate string `json:"dueDate,omitempty"`
}

// TenderQuery narrows GET /tenders: a status, words of the title or description, a CPV code prefix, one
// buyer organisation, and the page: at most Limit, starting after Before (the last tender of the previous
// page).
type TenderQuery struct {
	Status, Q, CPV, BuyerOrg, Before string
	Limit                            int
}

// SearchTenders lists the tenders q names (published ones, and the caller's organisation's drafts), newest
// first; a bad q, cpv or before is a 400 naming it.
func (c *Client) SearchTenders(ctx context.Context, token string, q TenderQuery) ([]Tender, error) {
	return get[[]Tender](ctx, c, token, "/tenders"+query("status", q.Status, "q", q.Q, "cpv", q.CPV,
		"buyerOrganisation", q.BuyerOrg, "before", q.Before, "limit", strconv.Itoa(q.Limit)))
}

// SupplierBid is one of the signed-in supplier's bids with its tender's title, status, buyer and currency.
type SupplierBid struct {
	Bid               Bid       `json:"bid"`
	TenderTitle       string    `json:"tenderTitle"`
	TenderStatus      string    `json:"tenderStatus"`
	BuyerOrganisation string    `json:"buyerOrganisation"`
	Currency          string    `json:"currency"`
	TenderEnd         time.Time `json:"tenderEnd"`
}

// MyBids lists the signed-in supplier's bids across tenders, newest first: at most limit (1 to 100),
// starting after before (the last bid of the previous page).
func (c *Client) MyBids(ctx context.Context, token, before string, limit int) ([]SupplierBid, error) {
	return get[[]SupplierBid](ctx, c, token, "/bids"+query("before", before, "limit", strconv.Itoa(limit)))
}

// Tender reads one tender (a draft only for its buyer's organisation).
func (c *Client) Tender(ctx context.Context, token, id string) (Tender, error) {
	return get[Tender](ctx, c, token, tenderPath(id))
}

// CreateTender drafts a tender.
func (c *Client) CreateTender(ctx context.Context, token, idempotencyKey string, d TenderDraft) (Tender, error) {
	return send[Tender](ctx, c, http.MethodPost, token, idempotencyKey, "/tenders", d)
}

// UpdateTender changes a draft.
func (c *Client) UpdateTender(ctx context.Context, token, id string, d TenderDraft) (Tender, error) {
	return send[Tender](ctx, c, http.MethodPut, token, "", tenderPath(id), d)
}

// PublishTender validates a draft and publishes it; a refusal names each field (tender.items[0].cpvCode).
func (c *Client) PublishTender(ctx context.Context, token, idempotencyKey, id string) (Tender, error) {
	return send[Tender](ctx, c, http.MethodPost, token, idempotencyKey, tenderPath(id, "publish"), struct{}{})
}

// CancelTender cancels a tender before it is complete (its buyer's organisation); reason, required, is
// told to the bidders.
func (c *Client) CancelTender(ctx context.Context, token, idempotencyKey, id, reason string) (Tender, error) {
	return send[Tender](ctx, c, http.MethodPost, token, idempotencyKey, tenderPath(id, "cancel"), map[string]string{"reason": reason})
}

// Questions lists a tender's questions and answers (public).
func (c *Client) Questions(ctx context.Context, token, tenderID string) ([]Question, error) {
	return get[[]Question](ctx, c, token, tenderPath(tenderID, "questions"))
}

// AskQuestion asks a question during the enquiry period (a supplier).
func (c *Client) AskQuestion(ctx context.Context, token, idempotencyKey, tenderID, text string) (Question, error) {
	return send[Question](ctx, c, http.MethodPost, token, idempotencyKey, tenderPath(tenderID, "questions"), map[string]string{"text": text})
}

// AnswerQuestion answers a question in public (the tender's buyer).
func (c *Client) AnswerQuestion(ctx context.Context, token, idempotencyKey, tenderID, questionID, answer string) (Question, error) {
	return send[Question](ctx, c, http.MethodPost, token, idempotencyKey, tenderPath(tenderID, "questions", questionID, "answer"),
		map[string]string{"answer": answer})
}

// Bids lists a tender's bids: all of them for its buyer, the supplier's own for a supplier.
func (c *Client) Bids(ctx context.Context, token, tenderID string) ([]Bid, error) {
	return get[[]Bid](ctx, c, token, tenderPath(tenderID, "bids"))
}

// SubmitBid submits the supplier's bid, sealed until the deadline.
func (c *Client) SubmitBid(ctx context.Context, token, idempotencyKey, tenderID string, in BidInput) (Bid, error) {
	return send[Bid](ctx, c, http.MethodPost, token, idempotencyKey, tenderPath(tenderID, "bids"), in)
}

// UpdateBid changes the supplier's bid before the deadline.
func (c *Client) UpdateBid(ctx context.Context, token, tenderID, bidID string, in BidInput) (Bid, error) {
	return send[Bid](ctx, c, http.MethodPut, token, "", tenderPath(tenderID, "bids", bidID), in)
}

// WithdrawBid withdraws the supplier's bid before the deadline.
func (c *Client) WithdrawBid(ctx context.Context, token, idempotencyKey, tenderID, bidID string) (Bid, error) {
	return send[Bid](ctx, c, http.MethodPost, token, idempotencyKey, tenderPath(tenderID, "bids", bidID, "withdraw"), struct{}{})
}

// DeclareInterest records the evaluator's declaration of (no) conflict of interest.
func (c *Client) DeclareInterest(ctx context.Context, token, idempotencyKey, tenderID string, conflict bool, statement string) error {
	_, err := send[struct{}](ctx, c, http.MethodPost, token, idempotencyKey, tenderPath(tenderID, "declarations"),
		map[string]any{"conflict": conflict, "statement": statement})
	return err
}

// ScoreBid scores a bid on every criterion, each with its reason.
func (c *Client) ScoreBid(ctx context.Context, token, idempotencyKey, tenderID, bidID string, scores []CriterionScore) error {
	_, err := send[struct{}](ctx, c, http.MethodPost, token, idempotencyKey, tenderPath(tenderID, "bids", bidID, "scores"),
		map[string]any{"scores": scores})
	return err
}

// Evaluation reads a tender's scores, ranking and audit trail (its buyer).
func (c *Client) Evaluation(ctx context.Context, token, tenderID string) (Evaluation, error) {
	return get[Evaluation](ctx, c, token, tenderPath(tenderID, "evaluation"))
}

// Awards lists a tender's awards (public).
func (c *Client) Awards(ctx context.Context, token, tenderID string) ([]Award, error) {
	return get[[]Award](ctx, c, token, "/awards"+query("tenderId", tenderID))
}

// FileComplaint files a bidder's complaint during the standstill.
func (c *Client) FileComplaint(ctx context.Context, token, idempotencyKey, awardID, text string) (Complaint, error) {
	return send[Complaint](ctx, c, http.MethodPost, token, idempotencyKey, "/awards/"+pathEscape(awardID)+"/complaints",
		map[string]string{"text": text})
}

// ResolveComplaint resolves a complaint (the buyer), with what was decided.
func (c *Client) ResolveComplaint(ctx context.Context, token, idempotencyKey, awardID, complaintID, resolution string) (Complaint, error) {
	return send[Complaint](ctx, c, http.MethodPost, token, idempotencyKey,
		"/awards/"+pathEscape(awardID)+"/complaints/"+pathEscape(complaintID)+"/resolve", map[string]string{"resolution": resolution})
}

// SignContract signs the contract of an active award.
func (c *Client) SignContract(ctx context.Context, token, idempotencyKey, awardID string, in ContractInput) (Contract, error) {
	return send[Contract](ctx, c, http.MethodPost, token, idempotencyKey, "/awards/"+pathEscape(awardID)+"/contract", in)
}

// Contracts lists contracts, of one tender when tenderID is set (public).
func (c *Client) Contracts(ctx context.Context, token, tenderID string) ([]Contract, error) {
	return get[[]Contract](ctx, c, token, "/contracts"+query("tenderId", tenderID))
}

// ConfirmDelivery confirms a milestone delivered; its payment is instructed to Payments.
func (c *Client) ConfirmDelivery(ctx context.Context, token, idempotencyKey, contractID, milestoneID string) (Contract, error) {
	return send[Contract](ctx, c, http.MethodPost, token, idempotencyKey,
		"/contracts/"+pathEscape(contractID)+"/milestones/"+pathEscape(milestoneID)+"/delivery", struct{}{})
}

// tenderPath is /tenders/{id} and the parts after it, each escaped.
func tenderPath(id string, parts ...string) string {
	p := "/tenders/" + pathEscape(id)
	for _, part := range parts {
		p += "/" + pathEscape(part)
	}
	return p
}

// get is a GET of path (with its query) whose answer is a T.
func get[T any](ctx context.Context, c *Client, token, path string) (T, error) {
	var out T
	err := c.do(ctx, call{method: http.MethodGet, path: path, token: token, out: &out})
	return out, err
}

// send is a call with a JSON body whose answer is a T.
func send[T any](ctx context.Context, c *Client, method, token, idempotencyKey, path string, body any) (T, error) {
	var out T
	err := c.do(ctx, call{method: method, path: path, token: token, idempotencyKey: idempotencyKey, body: body, out: &out})
	return out, err
}
