package domain

import "github.com/govstackbb/marketplace/platform/apierr"

// Reasons of the errors this BB returns; on the wire they read GOVSTACK_REGISTRIES_<REASON>.
const (
	ReasonRegistryNotFound  = "REGISTRY_NOT_FOUND"
	ReasonRecordNotFound    = "RECORD_NOT_FOUND"
	ReasonFieldNotFound     = "FIELD_NOT_FOUND"
	ReasonRecordExists      = "RECORD_EXISTS"
	ReasonAmbiguousQuery    = "AMBIGUOUS_QUERY"
	ReasonSchemaViolation   = "SCHEMA_VIOLATION"
	ReasonInvalidSchema     = "INVALID_SCHEMA"
	ReasonInvalidName       = "INVALID_NAME"
	ReasonInvalidField      = "INVALID_FIELD"
	ReasonInvalidQuery      = "INVALID_QUERY"
	ReasonInvalidSearch     = "INVALID_SEARCH"
	ReasonInvalidPrimaryKey = "INVALID_PRIMARY_KEY"
	ReasonMissingField      = "MISSING_FIELD"
	ReasonUnsupportedExt    = "UNSUPPORTED_EXTENSION"
	ReasonTooManyMatches    = "TOO_MANY_MATCHES"
)

// ErrRecordNotFound is the answer when no record matches a query or a primary key.
func ErrRecordNotFound() error {
	return apierr.NotFound(ReasonRecordNotFound, "no record found")
}

// ErrRegistryNotFound is the answer when a registry name/version or database id does not exist.
func ErrRegistryNotFound() error {
	return apierr.NotFound(ReasonRegistryNotFound, "no such registry (database) version")
}

// ErrMissing names a required request part the caller left out, e.g. "write.content".
func ErrMissing(field string) error {
	return apierr.Invalid(ReasonMissingField, field+" is required",
		apierr.FieldViolation{Field: field, Description: "required"})
}

// invalidField is a 400 naming one request field.
func invalidField(reason, field, description string) error {
	return apierr.Invalid(reason, field+": "+description, apierr.FieldViolation{Field: field, Description: description})
}
