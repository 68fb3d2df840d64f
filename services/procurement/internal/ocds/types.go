package ocds

import "time"

// The parts of an OCDS 1.1.5 release (with the bids extension) a procurement service publishes. JSON
// names are OCDS's; empty parts are omitted (omitempty/omitzero), so a release carries only what it says.
// Numbers that may legitimately be 0 (numberOfTenderers, quantity) are pointers so 0 is still published.

// Release tags (closed codelist releaseTag.csv).
const (
	TagTender               = "tender"
	TagTenderAmendment      = "tenderAmendment"
	TagTenderUpdate         = "tenderUpdate"
	TagTenderCancellation   = "tenderCancellation"
	TagAward                = "award"
	TagAwardUpdate          = "awardUpdate"
	TagAwardCancellation    = "awardCancellation"
	TagContract             = "contract"
	TagContractUpdate       = "contractUpdate"
	TagImplementation       = "implementation"
	TagImplementationUpdate = "implementationUpdate"
	TagContractTermination  = "contractTermination"
	TagCompiled             = "compiled"
)

// Tender status (closed codelist tenderStatus.csv).
const (
	TenderPlanning     = "planning"
	TenderActive       = "active"
	TenderCancelled    = "cancelled"
	TenderUnsuccessful = "unsuccessful"
	TenderComplete     = "complete"
)

// Award status (awardStatus.csv), contract status (contractStatus.csv), milestone status
// (milestoneStatus.csv) and bid status (bidStatus.csv) — all closed.
const (
	AwardPending      = "pending"
	AwardActive       = "active"
	AwardCancelled    = "cancelled"
	AwardUnsuccessful = "unsuccessful"

	ContractPending    = "pending"
	ContractActive     = "active"
	ContractCancelled  = "cancelled"
	ContractTerminated = "terminated"

	MilestoneScheduled = "scheduled"
	MilestoneMet       = "met"
	MilestoneNotMet    = "notMet"

	BidPending      = "pending"
	BidValid        = "valid"
	BidDisqualified = "disqualified"
	BidWithdrawn    = "withdrawn"
)

// Party roles (partyRole.csv, open; CheckCodelists keeps ours in it).
const (
	RoleBuyer           = "buyer"
	RoleProcuringEntity = "procuringEntity"
	RoleSupplier        = "supplier"
	RoleTenderer        = "tenderer"
	RolePayer           = "payer"
	RolePayee           = "payee"
)

// Release is one OCDS release: what was known about a contracting process (ocid) at Date.
type Release struct {
	OCID           string                 `json:"ocid"`
	ID             string                 `json:"id"`
	Date           time.Time              `json:"date"`
	Tag            []string               `json:"tag"`
	InitiationType string                 `json:"initiationType"` // always "tender"
	Language       string                 `json:"language,omitempty"`
	Parties        []Organization         `json:"parties,omitempty"`
	Buyer          *OrganizationReference `json:"buyer,omitempty"`
	Tender         *Tender                `json:"tender,omitempty"`
	Bids           *Bids                  `json:"bids,omitempty"`
	Awards         []Award                `json:"awards,omitempty"`
	Contracts      []Contract             `json:"contracts,omitempty"`
}

// Organization is an entry of parties: every organisation the release mentions, with its roles.
type Organization struct {
	ID           string        `json:"id"`
	Name         string        `json:"name,omitempty"`
	Identifier   *Identifier   `json:"identifier,omitempty"`
	Address      *Address      `json:"address,omitempty"`
	ContactPoint *ContactPoint `json:"contactPoint,omitempty"`
	Roles        []string      `json:"roles,omitempty"`
}

// OrganizationReference points at an entry of parties by id.
type OrganizationReference struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Identifier is an organisation's registry identifier (scheme from org-id.guide, e.g. GB-COH).
type Identifier struct {
	Scheme    string `json:"scheme,omitempty"`
	ID        string `json:"id,omitempty"`
	LegalName string `json:"legalName,omitempty"`
	URI       string `json:"uri,omitempty"`
}

// Address is a postal address.
type Address struct {
	StreetAddress string `json:"streetAddress,omitempty"`
	Locality      string `json:"locality,omitempty"`
	Region        string `json:"region,omitempty"`
	PostalCode    string `json:"postalCode,omitempty"`
	CountryName   string `json:"countryName,omitempty"`
}

// ContactPoint is who to contact at an organisation.
type ContactPoint struct {
	Name      string `json:"name,omitempty"`
	Email     string `json:"email,omitempty"`
	Telephone string `json:"telephone,omitempty"`
}

// Tender is the tender stage: what is bought, how, and when bids are due.
type Tender struct {
	ID                       string                  `json:"id"`
	Title                    string                  `json:"title,omitempty"`
	Description              string                  `json:"description,omitempty"`
	Status                   string                  `json:"status,omitempty"`
	ProcuringEntity          *OrganizationReference  `json:"procuringEntity,omitempty"`
	Items                    []Item                  `json:"items,omitempty"`
	Value                    *Value                  `json:"value,omitempty"` // the buyer's estimate
	ProcurementMethod        string                  `json:"procurementMethod,omitempty"`
	ProcurementMethodDetails string                  `json:"procurementMethodDetails,omitempty"`
	MainProcurementCategory  string                  `json:"mainProcurementCategory,omitempty"`
	AwardCriteria            string                  `json:"awardCriteria,omitempty"`
	AwardCriteriaDetails     string                  `json:"awardCriteriaDetails,omitempty"` // the weights, in words
	SubmissionMethod         []string                `json:"submissionMethod,omitempty"`
	TenderPeriod             *Period                 `json:"tenderPeriod,omitempty"`
	EnquiryPeriod            *Period                 `json:"enquiryPeriod,omitempty"`
	HasEnquiries             *bool                   `json:"hasEnquiries,omitempty"`
	AwardPeriod              *Period                 `json:"awardPeriod,omitempty"`
	NumberOfTenderers        *int                    `json:"numberOfTenderers,omitempty"`
	Tenderers                []OrganizationReference `json:"tenderers,omitempty"`
	Documents                []Document              `json:"documents,omitempty"`
}

// Item is one thing bought, classified with CPV.
type Item struct {
	ID             string          `json:"id"`
	Description    string          `json:"description,omitempty"`
	Classification *Classification `json:"classification,omitempty"`
	Quantity       *float64        `json:"quantity,omitempty"`
	Unit           *Unit           `json:"unit,omitempty"`
}

// Classification codes an item; Scheme "CPV" for the Common Procurement Vocabulary.
type Classification struct {
	Scheme      string `json:"scheme"`
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
	URI         string `json:"uri,omitempty"`
}

// Unit is the unit an item's quantity counts.
type Unit struct {
	Name  string `json:"name,omitempty"`
	Value *Value `json:"value,omitempty"` // price per unit
}

// Value is an amount of money. Amount is a JSON number as OCDS wants; the service keeps minor units
// and converts at the edge.
type Value struct {
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
}

// Period is a span of time; an open end is left out.
type Period struct {
	StartDate      time.Time `json:"startDate,omitzero"`
	EndDate        time.Time `json:"endDate,omitzero"`
	MaxExtentDate  time.Time `json:"maxExtentDate,omitzero"`
	DurationInDays *int      `json:"durationInDays,omitempty"`
}

// Document is a published document (documentType from documentType.csv).
type Document struct {
	ID            string    `json:"id"`
	DocumentType  string    `json:"documentType,omitempty"`
	Title         string    `json:"title,omitempty"`
	Description   string    `json:"description,omitempty"`
	URL           string    `json:"url,omitempty"`
	DatePublished time.Time `json:"datePublished,omitzero"`
	DateModified  time.Time `json:"dateModified,omitzero"`
	Format        string    `json:"format,omitempty"`
	Language      string    `json:"language,omitempty"`
}

// Bids is the bids extension: statistics always, details only once the bids are open (see PublishBids).
type Bids struct {
	Statistics []BidsStatistic `json:"statistics,omitempty"`
	Details    []Bid           `json:"details,omitempty"`
}

// BidsStatistic is one count or amount about the bids (measure from bidStatistics.csv).
type BidsStatistic struct {
	ID       string    `json:"id"`
	Measure  string    `json:"measure"`
	Date     time.Time `json:"date,omitzero"`
	Value    float64   `json:"value"`
	Currency string    `json:"currency,omitempty"`
}

// Bid is one bid as published after the opening.
type Bid struct {
	ID        string                  `json:"id"`
	Date      time.Time               `json:"date,omitzero"`
	Status    string                  `json:"status,omitempty"`
	Tenderers []OrganizationReference `json:"tenderers,omitempty"`
	Value     *Value                  `json:"value,omitempty"`
	Documents []Document              `json:"documents,omitempty"`
}

// Award is the decision to award (part of) the tender to suppliers.
type Award struct {
	ID             string                  `json:"id"`
	Title          string                  `json:"title,omitempty"`
	Description    string                  `json:"description,omitempty"`
	Status         string                  `json:"status,omitempty"`
	Date           time.Time               `json:"date,omitzero"`
	Value          *Value                  `json:"value,omitempty"`
	Suppliers      []OrganizationReference `json:"suppliers,omitempty"`
	ContractPeriod *Period                 `json:"contractPeriod,omitempty"`
	Documents      []Document              `json:"documents,omitempty"`
}

// Contract is the signed contract of an award, with its milestones and payments.
type Contract struct {
	ID             string          `json:"id"`
	AwardID        string          `json:"awardID"`
	Title          string          `json:"title,omitempty"`
	Description    string          `json:"description,omitempty"`
	Status         string          `json:"status,omitempty"`
	Period         *Period         `json:"period,omitempty"`
	Value          *Value          `json:"value,omitempty"`
	DateSigned     time.Time       `json:"dateSigned,omitzero"`
	Documents      []Document      `json:"documents,omitempty"`
	Milestones     []Milestone     `json:"milestones,omitempty"`
	Implementation *Implementation `json:"implementation,omitempty"`
}

// Milestone is a delivery (or other) milestone of a contract (type from milestoneType.csv).
type Milestone struct {
	ID          string    `json:"id"`
	Title       string    `json:"title,omitempty"`
	Type        string    `json:"type,omitempty"`
	Description string    `json:"description,omitempty"`
	DueDate     time.Time `json:"dueDate,omitzero"`
	DateMet     time.Time `json:"dateMet,omitzero"`
	Status      string    `json:"status,omitempty"`
}

// Implementation is what happened under the contract: here, the payments.
type Implementation struct {
	Transactions []Transaction `json:"transactions,omitempty"`
	Milestones   []Milestone   `json:"milestones,omitempty"`
	Documents    []Document    `json:"documents,omitempty"`
}

// Transaction is one payment from payer to payee (Source names the payments system).
type Transaction struct {
	ID     string                 `json:"id"`
	Source string                 `json:"source,omitempty"`
	Date   time.Time              `json:"date,omitzero"`
	Value  *Value                 `json:"value,omitempty"`
	Payer  *OrganizationReference `json:"payer,omitempty"`
	Payee  *OrganizationReference `json:"payee,omitempty"`
	URI    string                 `json:"uri,omitempty"`
}
