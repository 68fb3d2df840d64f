// Package domain is the Registration BB's rules: e-mail, password, phone, company-id and national-id
// validation, account roles and states, the e-services model. It imports no gRPC, pgx or NATS.
package domain

// The keys of the e-services the account flows are (stable; each has a fixed UUID in the migrations).
const (
	ServiceBuyerAccount    = "buyer-account"
	ServiceSupplierAccount = "supplier-account"
	ServiceCitizenAccount  = "citizen-account"
	ServiceStaffAccount    = "staff-account"
	ServiceDomainAccess    = "domain-access"
)

// Application and task status codes (GovStack statusModel).
const (
	StatusPending  = "PENDING"
	StatusApproved = "APPROVED"
	StatusSendBack = "SENDBACK"
	StatusRejected = "REJECTED"
)
