package domain

import (
	"regexp"
	"unicode"
	"unicode/utf8"
)

var (
	registryNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	versionPattern      = regexp.MustCompile(`^[0-9A-Za-z._-]{1,32}$`)
)

// maxFieldNameLen bounds field names; they travel in URLs (readValue, query.<field>) and in SQL parameters.
const maxFieldNameLen = 128

// ValidateRegistryName checks a registry name as used in /data/{name}/{version}.
func ValidateRegistryName(name string) error {
	if !registryNamePattern.MatchString(name) {
		return invalidField(ReasonInvalidName, "registryName", "must be 1-64 letters, digits, '-' or '_'")
	}
	return nil
}

// ValidateVersion checks a registry version such as "1.0".
func ValidateVersion(version string) error {
	if !versionPattern.MatchString(version) {
		return invalidField(ReasonInvalidName, "versionNumber", "must be 1-32 letters, digits, '.', '-' or '_'")
	}
	return nil
}

// ValidateFieldName checks a top-level field name. GovStack allows spaces and dots in field names
// ("First name"), so only emptiness, length, invalid UTF-8 and control characters are refused.
func ValidateFieldName(param, name string) error {
	if name == "" || len(name) > maxFieldNameLen || !utf8.ValidString(name) {
		return invalidField(ReasonInvalidField, param, "must be a field name of 1-128 characters")
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return invalidField(ReasonInvalidField, param, "must not contain control characters")
		}
	}
	return nil
}
