package domain

import (
	"math"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// DefaultVersion is the version of a registry created without one.
const DefaultVersion = "1.0"

// DefaultPrimaryKey is the record identifier field when the schema marks none with "primaryKey": true.
const DefaultPrimaryKey = "id"

// Registry is one version of a registry: the JSON Schema its records satisfy and the fields that identify a
// record (PrimaryKey) and the person a record is about (PersonIDField, empty when it holds no personal data).
type Registry struct {
	ID            int32
	Name          string
	Version       string
	Code          string
	Description   string
	Institution   string
	GroupName     string
	CatalogName   string
	Schema        map[string]any
	PrimaryKey    string
	PersonIDField string
	IsDraft       bool
	IsDisabled    bool
	IsArchived    bool
	ModifiedAt    time.Time
	ModifiedBy    string
	RecordCount   int32
}

// Key is the registry's "name/version", as GovStack's databaseId and event payloads name it.
func (r Registry) Key() string { return r.Name + "/" + r.Version }

// HoldsPersonalData reports whether reads of this registry's records must be logged for their persons.
func (r Registry) HoldsPersonalData() bool { return r.PersonIDField != "" }

// Properties returns the schema's top-level "properties" object, or nil.
func (r Registry) Properties() map[string]any {
	props, _ := r.Schema["properties"].(map[string]any)
	return props
}

// PrimaryKeyOf returns the top-level property the schema marks with "primaryKey": true, or "id". When several
// are marked the alphabetically first wins, so the choice does not depend on map order.
func PrimaryKeyOf(schema map[string]any) string {
	props, _ := schema["properties"].(map[string]any)
	best := ""
	for name, p := range props {
		if def, ok := p.(map[string]any); ok && def["primaryKey"] == true && (best == "" || name < best) {
			best = name
		}
	}
	if best == "" {
		return DefaultPrimaryKey
	}
	return best
}

// RegistryDraft is what ModifyDatabase asks for, before defaults apply.
type RegistryDraft struct {
	GroupName, CatalogName, Code, Name, Version, Description, Institution string
	Schema                                                                map[string]any
	PersonIDField                                                         string
}

// NewRegistry applies GovStack's defaults (name from code, version 1.0, code from name) and checks the names
// and the shape of the schema. The schema's JSON Schema validity is checked by the app, which compiles it.
func NewRegistry(d RegistryDraft, modifiedBy string, now time.Time) (Registry, error) {
	r := Registry{
		Name: firstNonEmpty(d.Name, d.Code), Version: firstNonEmpty(d.Version, DefaultVersion),
		Code: firstNonEmpty(d.Code, d.Name), Description: d.Description, Institution: d.Institution,
		GroupName: d.GroupName, CatalogName: d.CatalogName, Schema: d.Schema, PersonIDField: d.PersonIDField,
		ModifiedAt: now, ModifiedBy: modifiedBy,
	}
	if r.Name == "" {
		return Registry{}, invalidField(ReasonInvalidName, "name", "name or code is required")
	}
	if err := ValidateRegistryName(r.Name); err != nil {
		return Registry{}, err
	}
	if err := ValidateVersion(r.Version); err != nil {
		return Registry{}, err
	}
	if err := checkSchemaShape(r.Schema); err != nil {
		return Registry{}, err
	}
	r.PrimaryKey = PrimaryKeyOf(r.Schema)
	if err := checkPersonIDField(r); err != nil {
		return Registry{}, err
	}
	return r, nil
}

func checkSchemaShape(schema map[string]any) error {
	if schema == nil {
		return invalidField(ReasonInvalidSchema, "schema", "a JSON Schema object is required")
	}
	if t, ok := schema["type"]; ok && t != "object" {
		return invalidField(ReasonInvalidSchema, "schema.type", `records are JSON objects: type must be "object"`)
	}
	return nil
}

func checkPersonIDField(r Registry) error {
	if r.PersonIDField == "" {
		return nil
	}
	if err := ValidateFieldName("personIdField", r.PersonIDField); err != nil {
		return err
	}
	if props := r.Properties(); props != nil {
		if _, ok := props[r.PersonIDField]; !ok {
			return invalidField(ReasonInvalidField, "personIdField", "must name a property of the schema")
		}
	}
	return nil
}

// maxCodeLen bounds a databaseId that is a registry's code; codes are free text ("MC 2" is one).
const maxCodeLen = 200

// ParseDatabaseID reads GovStack's databaseId: a registry's code or name (every version), or "name/version"
// for one version. Without a "/" it is not checked as a name: a code need not look like one.
func ParseDatabaseID(id string) (name, version string, err error) {
	name, version, slash := strings.Cut(id, "/")
	switch {
	case id == "":
		return "", "", ErrMissing("databaseId")
	case !slash && len(id) <= maxCodeLen:
		return id, "", nil
	}
	if err := ValidateRegistryName(name); err != nil {
		return "", "", apierr.Invalid(ReasonInvalidName, "databaseId must be a registry name or name/version",
			apierr.FieldViolation{Field: "databaseId", Description: "must be a registry name or name/version"})
	}
	if version != "" {
		if err := ValidateVersion(version); err != nil {
			return "", "", err
		}
	}
	return name, version, nil
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// StoredRegistryID converts an id from the API, where any integer is accepted, to the stored id; ok is false
// for an id no registry can have (below 1 or beyond 32 bits), which is then simply not found.
func StoredRegistryID(id int64) (int32, bool) {
	if id < 1 || id > math.MaxInt32 {
		return 0, false
	}
	return int32(id), true
}
