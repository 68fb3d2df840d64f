package procurement

import "github.com/govstackbb/marketplace/services/procurement/internal/ocds"

// ValidateOCDS checks an OCDS document — a release, release package or record package as the /ocds routes
// serve it — against OCDS 1.1.5 with the bids extension, the schemas this service publishes with. It is for
// tests and tools outside this module (the end-to-end tests validate what the gateway answers).
func ValidateOCDS(doc []byte) error { return ocds.Validate(doc) }
