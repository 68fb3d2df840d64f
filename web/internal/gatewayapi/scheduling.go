package gatewayapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
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
	// The names the list carries, so the portal looks nothing up.
	DoctorName   string `json:"resource_name"`
	Specialty    string `json:"specialty"`
	HospitalName string `json:"participant_entity_name"`
	TimeZone     string `json:"time_zone"`
	PatientID    string `json:"participant_id"`
	PatientName  string `json:"participant_name"`
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

// Appointments lists the signed-in person's appointments (a citizen's own; all of them, or the one with id
// appointmentID).
func (c *Client) Appointments(ctx context.Context, token, appointmentID string) ([]Appointment, error) {
	return c.AllAppointments(ctx, token, AppointmentQuery{ID: appointmentID})
}

// AppointmentQuery filters a list of appointments.
type AppointmentQuery struct {
	ID, HospitalID string
	From, To       time.Time // zero: open
	PageSize       int
	PageToken      string
}

// AppointmentPage is one page of a list and the token of the next ("" on the last).
type AppointmentPage struct {
	Appointments []Appointment `json:"appointments"`
	Next         string        `json:"next_page_token"`
}

// AppointmentsPage reads one page of appointments.
func (c *Client) AppointmentsPage(ctx context.Context, token string, q AppointmentQuery) (AppointmentPage, error) {
	var out AppointmentPage
	size := ""
	if q.PageSize > 0 {
		size = strconv.Itoa(q.PageSize)
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/appointment/list_details" + query("appointment_id", q.ID,
		"participant_entity_id", q.HospitalID, "from", rfc3339(q.From), "to", rfc3339(q.To), "page_size", size,
		"page_token", q.PageToken), token: token, out: &out})
	return out, err
}

// maxListPages bounds how many pages AllAppointments reads (500 appointments each).
const maxListPages = 10

// AllAppointments reads every page of a list (at most maxListPages of them).
func (c *Client) AllAppointments(ctx context.Context, token string, q AppointmentQuery) ([]Appointment, error) {
	var all []Appointment
	for range maxListPages {
		p, err := c.AppointmentsPage(ctx, token, q)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Appointments...)
		if p.Next == "" {
			break
		}
		q.PageToken = p.Next
	}
	return all, nil
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// CheckIn checks the patient of an appointment in with their booking code or national id.
func (c *Client) CheckIn(ctx context.Context, token, idempotencyKey string, a Appointment, bookingCode, nationalID string) (Appointment, error) {
	var out appointmentAnswer
	err := c.do(ctx, call{method: http.MethodPost, path: "/appointment/check_in", token: token, idempotencyKey: idempotencyKey,
		body: map[string]string{"appointment_id": a.ID, "subscriber_id": a.PatientID, "booking_code": bookingCode,
			"national_id": nationalID}, out: &out})
	return out.Appointment, err
}

// Document is a file attached to an appointment (a prescription).
type Document struct {
	ID          string    `json:"document_id"`
	Kind        string    `json:"kind"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size_bytes,string"`
	UploadedBy  string    `json:"uploaded_by"`
	Created     time.Time `json:"created_time"`
}

// Documents lists an appointment's documents.
func (c *Client) Documents(ctx context.Context, token, appointmentID string) ([]Document, error) {
	var out struct {
		Documents []Document `json:"documents"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/appointment/document/list_details" + query("appointment_id", appointmentID),
		token: token, out: &out})
	return out.Documents, err
}

// UploadDocument attaches a file to an appointment (base64 in the JSON body, as the API takes it).
func (c *Client) UploadDocument(ctx context.Context, token, idempotencyKey, appointmentID, kind, fileName string, content []byte) (Document, error) {
	var out struct {
		Document Document `json:"document"`
	}
	err := c.do(ctx, call{method: http.MethodPost, path: "/appointment/document/new", token: token, idempotencyKey: idempotencyKey,
		body: map[string]any{"appointment_id": appointmentID, "kind": kind, "file_name": fileName, "content": content}, out: &out})
	return out.Document, err
}

// DownloadDocument reads a document's content.
func (c *Client) DownloadDocument(ctx context.Context, token, documentID string) (Download, error) {
	var d Download
	err := c.do(ctx, call{method: http.MethodGet, path: "/appointment/document" + query("document_id", documentID), token: token, raw: &d})
	return d, err
}

func pathEscape(s string) string { return url.PathEscape(s) }
