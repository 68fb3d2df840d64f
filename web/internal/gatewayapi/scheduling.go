package gatewayapi

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// The Scheduling BB's directory and booking API (services/scheduling/README.md).

// Hospital is a Scheduling entity.
type Hospital struct {
	ID       string `json:"entity_id"`
	Name     string `json:"name"`
	City     string `json:"city"`
	TimeZone string `json:"time_zone"`
	Phone    string `json:"phone"`
	Email    string `json:"email"`
}

// Doctor is a Scheduling resource.
type Doctor struct {
	ID        string `json:"resource_id"`
	Name      string `json:"name"`
	Specialty string `json:"specialty"`
}

// Slot is one free period of a doctor.
type Slot struct {
	DoctorID   string    `json:"resource_id"`
	DoctorName string    `json:"resource_name"`
	HospitalID string    `json:"entity_id"`
	Start      time.Time `json:"start_time"`
	End        time.Time `json:"end_time"`
	LocalStart string    `json:"local_start"`
}

// Appointment is a booking of one slot.
type Appointment struct {
	ID          string    `json:"appointment_id"`
	DoctorID    string    `json:"resource_id"`
	HospitalID  string    `json:"participant_entity_id"`
	Start       time.Time `json:"start_time"`
	End         time.Time `json:"end_time"`
	Status      string    `json:"status"`
	BookingCode string    `json:"booking_code"`
	Reason      string    `json:"reason"`
}

// Hospitals lists the hospitals, of one city when city is not empty, or the one with id hospitalID.
func (c *Client) Hospitals(ctx context.Context, city, hospitalID string) ([]Hospital, error) {
	var out struct {
		Entities []Hospital `json:"entities"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/entity/list_details" + query("category", "hospital", "city", city, "entity_id", hospitalID), out: &out})
	return out.Entities, err
}

// Doctors lists the doctors at a hospital, of one specialty when specialty is not empty, or the one with
// id doctorID.
func (c *Client) Doctors(ctx context.Context, hospitalID, specialty, doctorID string) ([]Doctor, error) {
	var out struct {
		Resources []Doctor `json:"resources"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/resource/list_details" +
		query("entity_id", hospitalID, "specialty", specialty, "resource_id", doctorID), out: &out})
	return out.Resources, err
}

// FreeSlots lists a doctor's free slots starting in [from, to).
func (c *Client) FreeSlots(ctx context.Context, doctorID string, from, to time.Time) ([]Slot, error) {
	var out struct {
		Slots []Slot `json:"slots"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/resource/free_slots" + query("resource_id", doctorID,
		"from", from.UTC().Format(time.RFC3339), "to", to.UTC().Format(time.RFC3339)), out: &out})
	return out.Slots, err
}

type appointmentAnswer struct {
	Appointment Appointment `json:"appointment"`
}

// Book books the slot of doctorID starting at start for the signed-in citizen.
func (c *Client) Book(ctx context.Context, token, idempotencyKey, doctorID string, start time.Time, reason string) (Appointment, error) {
	var out appointmentAnswer
	err := c.do(ctx, call{method: http.MethodPost, path: "/appointment/book", token: token, idempotencyKey: idempotencyKey,
		body: map[string]string{"resource_id": doctorID, "start_time": start.UTC().Format(time.RFC3339), "reason": reason}, out: &out})
	return out.Appointment, err
}

// Cancel cancels an appointment.
func (c *Client) Cancel(ctx context.Context, token, idempotencyKey, appointmentID string) (Appointment, error) {
	var out appointmentAnswer
	err := c.do(ctx, call{method: http.MethodPost, path: "/appointment/cancel", token: token, idempotencyKey: idempotencyKey,
		body: map[string]string{"appointment_id": appointmentID}, out: &out})
	return out.Appointment, err
}

// Reschedule moves an appointment to another free slot of the same doctor.
func (c *Client) Reschedule(ctx context.Context, token, idempotencyKey, appointmentID string, start time.Time) (Appointment, error) {
	var out appointmentAnswer
	err := c.do(ctx, call{method: http.MethodPost, path: "/appointment/reschedule", token: token, idempotencyKey: idempotencyKey,
		body: map[string]string{"appointment_id": appointmentID, "start_time": start.UTC().Format(time.RFC3339)}, out: &out})
	return out.Appointment, err
}

// Appointments lists the signed-in citizen's appointments (all of them, or the one with id appointmentID).
func (c *Client) Appointments(ctx context.Context, token, appointmentID string) ([]Appointment, error) {
	var out struct {
		Appointments []Appointment `json:"appointments"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/appointment/list_details" + query("appointment_id", appointmentID),
		token: token, out: &out})
	return out.Appointments, err
}

func pathEscape(s string) string { return url.PathEscape(s) }

// HospitalsByID reads the hospitals of ids (one call).
func (c *Client) HospitalsByID(ctx context.Context, ids []string) ([]Hospital, error) {
	var out struct {
		Entities []Hospital `json:"entities"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/entity/list_details" + repeated("entity_id", ids), out: &out})
	return out.Entities, err
}

// DoctorsByID reads the doctors of ids (one call).
func (c *Client) DoctorsByID(ctx context.Context, ids []string) ([]Doctor, error) {
	var out struct {
		Resources []Doctor `json:"resources"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/resource/list_details" + repeated("resource_id", ids), out: &out})
	return out.Resources, err
}

// repeated is "?name=a&name=b" of the distinct ids.
func repeated(name string, ids []string) string {
	v := url.Values{}
	seen := map[string]bool{}
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			v.Add(name, id)
		}
	}
	return "?" + v.Encode()
}
