package app

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// Store runs units of work.
type Store interface {
	InTx(ctx context.Context, fn func(Tx) error) error
}

// Tx is one transaction: the reads and writes of the procurement model, and Publish, whose events are
// added to the outbox at commit.
type Tx interface {
	CreateTender(ctx context.Context, t domain.Tender) error
	Tender(ctx context.Context, id string, lock bool) (domain.Tender, error)
	UpdateTender(ctx context.Context, t domain.Tender) error
	// ListTenders lists the tenders org's buyers may see (published ones and org's drafts) that q selects.
	ListTenders(ctx context.Context, org string, q domain.TenderQuery) ([]domain.Tender, error)
	SetSeal(ctx context.Context, tenderID string, public, wrapped []byte) error
	Seal(ctx context.Context, tenderID string) (public, wrapped []byte, err error)
	MarkKeyUnwrapped(ctx context.Context, tenderID string, at time.Time) error
	SetProcessInstance(ctx context.Context, tenderID, instanceID string) error
	// TenderOfInstance finds the tender of a Workflow instance.
	TenderOfInstance(ctx context.Context, instanceID string) (string, bool, error)

	AddQuestion(ctx context.Context, q domain.Question) error
	Question(ctx context.Context, tenderID, id string, lock bool) (domain.Question, error)
	AnswerQuestion(ctx context.Context, q domain.Question) error
	Questions(ctx context.Context, tenderID string) ([]domain.Question, error)
	// Followers are the e-mail addresses of the suppliers who asked or bid on the tender.
	Followers(ctx context.Context, tenderID string) ([]string, error)

	AddBid(ctx context.Context, b domain.Bid) error
	Bid(ctx context.Context, tenderID, id string, lock bool) (domain.Bid, error)
	UpdateBid(ctx context.Context, b domain.Bid) error
	Bids(ctx context.Context, tenderID string) ([]domain.Bid, error)
	// SupplierBids lists a company's bids across tenders, newest first.
	SupplierBids(ctx context.Context, companyID string, q domain.BidQuery) ([]SupplierBid, error)

	Declaration(ctx context.Context, tenderID, evaluatorID string) (domain.Declaration, bool, error)
	SaveDeclaration(ctx context.Context, d domain.Declaration) error
	ReplaceScores(ctx context.Context, tenderID, bidID, evaluatorID string, scores []domain.Score) error
	Scores(ctx context.Context, tenderID string) ([]domain.Score, error)
	Audit(ctx context.Context, e domain.AuditEntry) error
	AuditTrail(ctx context.Context, tenderID string) ([]domain.AuditEntry, error)

	AddAward(ctx context.Context, a domain.Award) error
	Award(ctx context.Context, id string, lock bool) (domain.Award, error)
	AwardOfTender(ctx context.Context, tenderID string) (domain.Award, bool, error)
	UpdateAward(ctx context.Context, a domain.Award) error
	Awards(ctx context.Context, tenderID string) ([]domain.Award, error)
	AddComplaint(ctx context.Context, c domain.Complaint) error
	UpdateComplaint(ctx context.Context, c domain.Complaint) error

	AddContract(ctx context.Context, c domain.Contract) error
	Contract(ctx context.Context, id string, lock bool) (domain.Contract, error)
	UpdateContract(ctx context.Context, c domain.Contract) error
	Contracts(ctx context.Context, tenderID string) ([]domain.Contract, error)
	ContractOfMilestone(ctx context.Context, milestoneID string) (string, error)

	// AddRelease appends the OCDS release of a lifecycle change.
	AddRelease(ctx context.Context, r Release) error
	Publish(events ...domain.Event)
}

// Release is one OCDS release row (internal/ocds builds and validates the full documents).
type Release struct {
	ID, OCID string
	Date     time.Time
	Tags     []string
	JSON     []byte
}

// SupplierBid is one of a supplier's bids with what a list of them shows of its tender.
type SupplierBid struct {
	Bid                                           domain.Bid
	TenderTitle, TenderStatus, BuyerOrg, Currency string
	TenderEnd                                     time.Time
}

// Registries asks the Digital Registries BB (through the IM) about a company.
type Registries interface {
	// CompanyStatus returns the company's status in the companies registry ("active", "dissolved"), and
	// false when it is not registered.
	CompanyStatus(ctx context.Context, companyID string) (string, bool, error)
}

// Documents reads the files tenders and bids refer to from the Registration BB's document store (through the
// IM, as a back office: procurement decides who may read them, Registration keeps the bytes).
type Documents interface {
	// Document returns a stored document; a NotFound apierr when Registration no longer keeps it, an
	// Unavailable one when Registration could not be asked.
	Document(ctx context.Context, id string) (File, error)
}

// File is a document's content and the content type its store recognised.
type File struct {
	Name        string // as it was uploaded; "" when the store gave none
	ContentType string
	Content     []byte
}

// Scheduling sets deadlines in the Scheduling BB (through the IM); key makes a retry set nothing twice.
type Scheduling interface {
	SetDeadline(ctx context.Context, key, subject, reference string, due time.Time) (string, error)
}

// Workflow drives the procurement process in the Workflow BB (through the IM).
type Workflow interface {
	// StartProcess starts the process for the tender (business key = the tender id: one instance per tender).
	StartProcess(ctx context.Context, tenderID string, vars map[string]any) (string, error)
	// PublishMessage delivers a message to the tender's instance; id makes a repeat deliver nothing twice.
	PublishMessage(ctx context.Context, name, tenderID, id string, vars map[string]any) error
	ActivateJobs(ctx context.Context, jobType, worker string, max int, wait time.Duration) ([]Job, error)
	CompleteJob(ctx context.Context, job Job, worker string, vars map[string]any) error
	FailJob(ctx context.Context, job Job, worker string, retries int, msg string, backoff time.Duration) error
}

// Job is a service task of the process that procurement does.
type Job struct {
	Key, Type string
	Epoch     int32
	Retries   int
	Variables map[string]any
}

// Payments instructs payments to the Payments BB (through the IM).
type Payments interface {
	// Pay instructs one payment; key (the milestone id) makes a retry pay nothing twice. It returns the batch id.
	Pay(ctx context.Context, p Payment) (string, error)
}

// Payment is one milestone's payment instruction.
type Payment struct {
	Key, Amount, Currency, PayeeKey, PayeeValue, Description string
	References                                               map[string]string
}
