package domain

import "time"

// Event is something that happened to a tender, published through the outbox by the unit of work that made
// it happen. Type is one of the event names of proto/govstack/procurement/v1 (event_types.go); the encoder
// (internal/events) builds each payload from the aggregate it carries.
type Event struct {
	Type     string
	Tender   Tender
	Question *Question
	Bid      *Bid
	Award    *Award
	Contract *Contract
	// MilestoneID names the milestone of milestone.* events; ComplaintID the complaint of complaint.*.
	MilestoneID, ComplaintID string
	// Notify are the e-mail addresses told (followers, bidders).
	Notify []string
	// Outcomes are what each bidder is told of an award.
	Outcomes []Outcome
	At       time.Time
}

// Outcome is one bidder's result.
type Outcome struct {
	Email, CompanyID string
	TotalScore       int64
	Rank             int
	Awarded          bool
}

// The kinds of events, as the last part of their names: the encoder publishes kind K as
// govstack.procurement.v1.K (proto/govstack/procurement/v1/event_types.go; a test keeps the two in step).
const (
	EvTenderDrafted        = "tender.drafted"
	EvTenderPublished      = "tender.published"
	EvTenderBidsOpened     = "tender.bids_opened"
	EvTenderCancelled      = "tender.cancelled"
	EvTenderUnsuccessful   = "tender.unsuccessful"
	EvTenderCompleted      = "tender.completed"
	EvQuestionAsked        = "question.asked"
	EvQuestionAnswered     = "question.answered"
	EvBidSubmitted         = "bid.submitted"
	EvBidUpdated           = "bid.updated"
	EvBidWithdrawn         = "bid.withdrawn"
	EvBidDisqualified      = "bid.disqualified"
	EvAwardDecided         = "award.decided"
	EvAwardStandstillEnded = "award.standstill_ended"
	EvComplaintFiled       = "complaint.filed"
	EvComplaintResolved    = "complaint.resolved"
	EvContractSigned       = "contract.signed"
	EvMilestoneDelivered   = "milestone.delivered"
	EvMilestonePaid        = "milestone.paid"
)
