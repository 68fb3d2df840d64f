package domain

import "strings"

// ExtJSON is the only readValue extension: the value wrapped as {"value": ...}.
const ExtJSON = "json"

// ParseFieldExt splits readValue's "{field}.{ext}". The extension is after the last dot, so field names may
// themselves contain dots and spaces ("First name.json", "address.city.json").
func ParseFieldExt(fieldExt string) (field, ext string, err error) {
	dot := strings.LastIndexByte(fieldExt, '.')
	if dot < 0 {
		return "", "", invalidField(ReasonInvalidField, "field_ext", `must be "{field}.{ext}", e.g. "firstName.json"`)
	}
	field, ext = fieldExt[:dot], strings.ToLower(fieldExt[dot+1:])
	if err := ValidateFieldName("field_ext", field); err != nil {
		return "", "", err
	}
	if ext != ExtJSON {
		return "", "", invalidField(ReasonUnsupportedExt, "field_ext", `unsupported extension: the supported extension is "json"`)
	}
	return field, ext, nil
}
