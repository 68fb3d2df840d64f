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

// The fixed ids of the account services and of their version-1 e-forms, as seeded by
// migrations/0002_eservices.sql (keep the two in step). Clients may bookmark them.
const (
	ServiceIDBuyerAccount    = "5e7a0000-0000-4000-a000-000000000001"
	ServiceIDSupplierAccount = "5e7a0000-0000-4000-a000-000000000002"
	ServiceIDCitizenAccount  = "5e7a0000-0000-4000-a000-000000000003"
	ServiceIDStaffAccount    = "5e7a0000-0000-4000-a000-000000000004"
	ServiceIDDomainAccess    = "5e7a0000-0000-4000-a000-000000000005"

	EFormIDBuyerAccount    = "5e7a0000-0000-4000-b000-000000000001"
	EFormIDSupplierAccount = "5e7a0000-0000-4000-b000-000000000002"
	EFormIDCitizenAccount  = "5e7a0000-0000-4000-b000-000000000003"
	EFormIDStaffAccount    = "5e7a0000-0000-4000-b000-000000000004"
	EFormIDDomainAccess    = "5e7a0000-0000-4000-b000-000000000005"
)

// ServiceIDs maps each account service's key to its fixed id.
var ServiceIDs = map[string]string{
	ServiceBuyerAccount:    ServiceIDBuyerAccount,
	ServiceSupplierAccount: ServiceIDSupplierAccount,
	ServiceCitizenAccount:  ServiceIDCitizenAccount,
	ServiceStaffAccount:    ServiceIDStaffAccount,
	ServiceDomainAccess:    ServiceIDDomainAccess,
}
