package domain

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

var pdf = []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")

func TestNewDocument(t *testing.T) {
	now := time.Date(2027, 3, 29, 9, 0, 0, 0, time.UTC)
	d, err := NewDocument("d1", "a1", "", `C:\Users\mari\retsept.pdf`, pdf, "Dr Kask", now)
	if err != nil || d.Kind != "prescription" || d.FileName != "retsept.pdf" || d.ContentType != "application/pdf" ||
		d.Size != int64(len(pdf)) || d.UploadedBy != "Dr Kask" {
		t.Fatalf("NewDocument = %+v, %v", d, err)
	}
	png := []byte("\x89PNG\r\n\x1a\nrest")
	if d, err := NewDocument("d2", "a1", "referral", "/tmp/scan.png", png, "x", now); err != nil || d.ContentType != "image/png" || d.FileName != "scan.png" {
		t.Errorf("png: %+v, %v", d, err)
	}
	for name, tc := range map[string]struct {
		kind, file string
		content    []byte
		reason     string
		fields     []string
	}{
		"every bad field": {"recipe", "", nil, ReasonInvalidInput, []string{"kind", "file_name", "content"}},
		"too large":       {"other", "big.pdf", append(bytes.Clone(pdf), make([]byte, MaxDocumentBytes)...), ReasonDocumentTooLarge, []string{"content"}},
		"not a document":  {"other", "evil.pdf", []byte("MZ\x90\x00 an executable"), ReasonDocumentType, []string{"content"}},
		"long name":       {"other", strings.Repeat("n", 201) + ".pdf", pdf, ReasonInvalidInput, []string{"file_name"}},
	} {
		_, err := NewDocument("d", "a", tc.kind, tc.file, tc.content, "x", now)
		var e *apierr.Error
		if !errors.As(err, &e) || e.Reason != tc.reason || len(e.Violations) != len(tc.fields) {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for i, f := range tc.fields {
			if e.Violations[i].Field != f {
				t.Errorf("%s: violation %d is %q, want %q", name, i, e.Violations[i].Field, f)
			}
		}
	}
}

func TestAttachDocument(t *testing.T) {
	a := Appointment{ID: "a1", Status: StatusBooked}
	d := Document{ID: "d1", FileName: "retsept.pdf", Content: pdf}
	p := Parties{Subscriber: Subscriber{ID: "s1", Email: "mari@example.org"}}
	ev, err := a.AttachDocument(d, MaxDocumentsPerAppointment-1, p)
	if err != nil || ev.Appointment.ID != "a1" || ev.Parties.Subscriber.Email != "mari@example.org" || ev.Document.ID != "d1" ||
		ev.Document.Content != nil {
		t.Errorf("one below the limit: %+v, %v", ev, err)
	}
	if _, err := a.AttachDocument(d, MaxDocumentsPerAppointment, p); err == nil {
		t.Error("the limit was passed")
	}
	a.Status = StatusCheckedIn
	if _, err := a.AttachDocument(d, 0, p); err != nil {
		t.Errorf("checked in: %v", err)
	}
	a.Status = StatusCancelled
	if _, err := a.AttachDocument(d, 0, p); err == nil {
		t.Error("a cancelled appointment took a document")
	}
}
