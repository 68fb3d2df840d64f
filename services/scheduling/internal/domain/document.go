package domain

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// Documents of appointments: what a hospital attaches to one (a prescription, a referral). No GovStack BB
// keeps an appointment's documents, so Scheduling does, within small limits.
const (
	// MaxDocumentBytes is the largest document: its base64 in a JSON body stays under the gateway's 1 MiB.
	MaxDocumentBytes = 512 << 10
	// MaxDocumentsPerAppointment bounds what one appointment holds.
	MaxDocumentsPerAppointment = 20
	// maxFileNameChars bounds a document's file name.
	maxFileNameChars = 200
)

// Reasons of document errors.
const (
	ReasonDocumentTooLarge  = "DOCUMENT_TOO_LARGE"
	ReasonDocumentType      = "DOCUMENT_TYPE_NOT_ALLOWED"
	ReasonTooManyDocuments  = "TOO_MANY_DOCUMENTS"
	ReasonAppointmentClosed = "APPOINTMENT_CANCELLED"
)

// DocumentKinds are what a document may be.
var DocumentKinds = []string{"prescription", "referral", "other"}

// Document is a file attached to an appointment. Content is empty when a list reads it.
type Document struct {
	ID, AppointmentID, Kind, FileName, ContentType string
	Size                                           int64
	Content                                        []byte
	UploadedBy                                     string // the staff member's name, or the IM client
	Created                                        time.Time
}

// NewDocument checks an upload and returns the document to store: the kind (prescription when empty), the
// file name without any path, and the content type recognised from the content itself — a name or a
// declared type proves nothing. Every bad field is reported, each with its own violation.
func NewDocument(id, appointmentID, kind, fileName string, content []byte, uploadedBy string, now time.Time) (Document, error) {
	d := Document{ID: id, AppointmentID: appointmentID, Kind: strings.TrimSpace(kind), Content: content,
		Size: int64(len(content)), UploadedBy: uploadedBy, Created: now}
	if d.Kind == "" {
		d.Kind = "prescription"
	}
	var bad []apierr.FieldViolation
	reason := ReasonInvalidInput
	if !slices.Contains(DocumentKinds, d.Kind) {
		bad = append(bad, apierr.FieldViolation{Field: "kind", Description: "must be one of " + strings.Join(DocumentKinds, ", ")})
	}
	d.FileName = baseName(fileName)
	if n := utf8.RuneCountInString(d.FileName); n == 0 || n > maxFileNameChars || !utf8.ValidString(d.FileName) {
		bad = append(bad, apierr.FieldViolation{Field: "file_name", Description: fmt.Sprintf("required, 1 to %d characters", maxFileNameChars)})
	}
	switch d.ContentType = SniffDocument(content); {
	case len(content) == 0:
		bad = append(bad, apierr.FieldViolation{Field: "content", Description: "required: the file, base64 in JSON"})
	case len(content) > MaxDocumentBytes:
		reason = ReasonDocumentTooLarge
		bad = append(bad, apierr.FieldViolation{Field: "content", Description: fmt.Sprintf("at most %d KiB (this file is %d KiB)", MaxDocumentBytes>>10, (len(content)+1023)>>10)})
	case d.ContentType == "":
		reason = ReasonDocumentType
		bad = append(bad, apierr.FieldViolation{Field: "content", Description: "must be a PDF, PNG or JPEG file"})
	}
	if len(bad) > 0 {
		return Document{}, apierr.Invalid(reason, "the document is not valid: "+describe(bad), bad...)
	}
	return d, nil
}

// SniffDocument recognises a PDF, PNG or JPEG by its first bytes ("" for anything else).
func SniffDocument(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	}
	return ""
}

// AttachDocument attaches d to a, which holds count documents already, and returns the event that tells the
// patient: not to a cancelled appointment, and not beyond MaxDocumentsPerAppointment.
func (a Appointment) AttachDocument(d Document, count int, p Parties) (DocumentAdded, error) {
	if a.Status == StatusCancelled {
		return DocumentAdded{}, apierr.FailedPrecondition(ReasonAppointmentClosed, "the appointment is cancelled: documents go to a booked or checked-in one")
	}
	if count >= MaxDocumentsPerAppointment {
		return DocumentAdded{}, apierr.FailedPrecondition(ReasonTooManyDocuments, fmt.Sprintf("an appointment holds at most %d documents", MaxDocumentsPerAppointment))
	}
	d.Content = nil // the event names the document; whoever may read it downloads it
	return DocumentAdded{AppointmentFacts{a, p}, d}, nil
}

// baseName is a file name without the folders a browser or a client may send with it (either slash).
func baseName(name string) string {
	name = strings.TrimSpace(strings.ReplaceAll(name, `\`, "/"))
	if name == "" {
		return ""
	}
	if b := path.Base(name); b != "." && b != "/" {
		return b
	}
	return ""
}

func describe(bad []apierr.FieldViolation) string {
	parts := make([]string, 0, len(bad))
	for _, v := range bad {
		parts = append(parts, v.Field+": "+v.Description)
	}
	return strings.Join(parts, "; ")
}
