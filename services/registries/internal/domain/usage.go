package domain

import (
	"slices"
	"time"
)

// Read operations that are logged as personal data usage.
const (
	OpRead      = "read"
	OpList      = "list"
	OpExists    = "exists"
	OpReadValue = "readValue"
)

// Reader is the IM client that read personal data: INSTANCE/CLASS/MEMBER/SUBSYSTEM as ID, the member
// (institution) and the subsystem (application).
type Reader struct {
	ID, Member, Subsystem string
}

// Usage is one logged read of one person's records (GovStack "my personal data usage").
type Usage struct {
	ID              string
	RegistryID      int32
	RegistryName    string
	RegistryVersion string
	PersonID        string
	Reader          Reader
	Operation       string
	RecordIDs       []string
	ReadAt          time.Time
}

// UsagesOf groups the records one call returned by person: a list that shows three citizens is one read
// for each of them, and each sees only the references to their own records. Records without a person id
// are not personal data of anyone and produce no usage.
func UsagesOf(r Registry, reader Reader, op string, at time.Time, records []Record) []Usage {
	if !r.HoldsPersonalData() {
		return nil
	}
	byPerson := map[string]*Usage{}
	var order []string
	for _, rec := range records {
		if rec.PersonID == "" {
			continue
		}
		u, ok := byPerson[rec.PersonID]
		if !ok {
			u = &Usage{RegistryID: r.ID, RegistryName: r.Name, RegistryVersion: r.Version, PersonID: rec.PersonID,
				Reader: reader, Operation: op, ReadAt: at}
			byPerson[rec.PersonID] = u
			order = append(order, rec.PersonID)
		}
		if !slices.Contains(u.RecordIDs, rec.ID) {
			u.RecordIDs = append(u.RecordIDs, rec.ID)
		}
	}
	out := make([]Usage, 0, len(order))
	for _, p := range order {
		out = append(out, *byPerson[p])
	}
	return out
}
