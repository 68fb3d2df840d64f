package procurementv1

// The events the procurement service publishes — each also the NATS subject on stream GOVSTACK_PROCUREMENT.
// Written by hand next to events.proto; the publisher (services/procurement/internal/events) and consumers
// use these.
const (
	EventTenderDrafted      = "govstack.procurement.v1.tender.drafted"
	EventTenderPublished    = "govstack.procurement.v1.tender.published"
	EventTenderBidsOpened   = "govstack.procurement.v1.tender.bids_opened"
	EventTenderCancelled    = "govstack.procurement.v1.tender.cancelled"
	EventTenderUnsuccessful = "govstack.procurement.v1.tender.unsuccessful"
	EventTenderCompleted    = "govstack.procurement.v1.tender.completed"

	EventQuestionAsked    = "govstack.procurement.v1.question.asked"
	EventQuestionAnswered = "govstack.procurement.v1.question.answered"

	EventBidSubmitted    = "govstack.procurement.v1.bid.submitted"
	EventBidUpdated      = "govstack.procurement.v1.bid.updated"
	EventBidWithdrawn    = "govstack.procurement.v1.bid.withdrawn"
	EventBidDisqualified = "govstack.procurement.v1.bid.disqualified"

	EventAwardDecided         = "govstack.procurement.v1.award.decided"
	EventAwardStandstillEnded = "govstack.procurement.v1.award.standstill_ended"
	EventComplaintFiled       = "govstack.procurement.v1.complaint.filed"
	EventComplaintResolved    = "govstack.procurement.v1.complaint.resolved"

	EventContractSigned     = "govstack.procurement.v1.contract.signed"
	EventMilestoneDelivered = "govstack.procurement.v1.milestone.delivered"
	EventMilestonePaid      = "govstack.procurement.v1.milestone.paid"
)

// Events are all of them.
var Events = []string{EventTenderDrafted, EventTenderPublished, EventTenderBidsOpened, EventTenderCancelled,
	EventTenderUnsuccessful, EventTenderCompleted, EventQuestionAsked, EventQuestionAnswered, EventBidSubmitted,
	EventBidUpdated, EventBidWithdrawn, EventBidDisqualified, EventAwardDecided, EventAwardStandstillEnded,
	EventComplaintFiled, EventComplaintResolved, EventContractSigned, EventMilestoneDelivered, EventMilestonePaid}
