package site

import (
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// Documents of appointments: the hospital's staff attach a prescription (or a referral) to an appointment,
// and the patient reads it on their appointment's page. Scheduling keeps them and decides who may do
// what; the portal passes the person's token and streams the file back with its own headers.

// maxDocumentBytes is Scheduling's limit on one document.
const maxDocumentBytes = 512 << 10

// documentView is a document as a page lists it.
type documentView struct {
	gatewayapi.Document
	KindText, Added, Size, Link string
}

// documentsOf lists an appointment's documents, linked under the appointment's page.
func (s *Site) documentsOf(c *Ctx, v appointmentView) ([]documentView, error) {
	ds, err := s.api.Documents(c.R.Context(), c.Data.AccessToken, v.ID)
	if err != nil {
		return nil, err
	}
	loc := location(v.Hospital.TimeZone)
	out := make([]documentView, 0, len(ds))
	for _, d := range ds {
		out = append(out, documentView{Document: d, KindText: c.Loc.T("document.kind." + d.Kind),
			Added: c.longDate(d.Created.In(loc)) + ", " + clock(d.Created.In(loc)), Size: sizeText(d.Size),
			Link: v.Link + "/documents/" + url.PathEscape(d.ID)})
	}
	return out, nil
}

// sizeText is a file's size as people read it ("34 KB").
func sizeText(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	return strconv.FormatInt((n+1023)/1024, 10) + " KB"
}

// documentKinds are the upload form's choices.
func documentKinds(c *Ctx) []Option {
	var out []Option
	for _, k := range []string{"prescription", "referral", "other"} {
		out = append(out, Option{Value: k, Text: c.Loc.T("document.kind." + k)})
	}
	return out
}

// uploadDocument attaches the posted file to the appointment.
func (s *Site) uploadDocument(c *Ctx) {
	f := FormFrom(c.R.PostForm, "kind")
	name, content := s.postedFile(c, f)
	if f.HasErrors() {
		s.renderStaffAppointment(c, http.StatusUnprocessableEntity, f)
		return
	}
	v, ok := s.staffAppointment(c)
	if !ok {
		return
	}
	_, err := s.api.UploadDocument(c.R.Context(), c.Data.AccessToken, idempotencyKey(c.R.PostForm.Get("key")), v.ID,
		f.Value("kind"), name, content)
	if err != nil {
		uploadFields.apply(c, f, err)
		s.renderStaffAppointment(c, http.StatusUnprocessableEntity, f)
		return
	}
	c.Flash("flash.document_added", name)
	c.Redirect(v.Link)
}

// uploadFields puts Scheduling's refusals of an upload next to the fields.
var uploadFields = fieldMap{prefix: "upload", fields: map[string]string{"kind": "kind", "content": "file", "file_name": "file"},
	reasons: map[string]reasonError{
		"DOCUMENT_TOO_LARGE":        {"file", "upload.file.too_large"},
		"DOCUMENT_TYPE_NOT_ALLOWED": {"file", "upload.file.type"},
		"TOO_MANY_DOCUMENTS":        {"file", "upload.file.too_many"},
		"APPOINTMENT_CANCELLED":     {"file", "upload.file.cancelled"},
		"PERMISSION_DENIED":         {"file", "upload.file.not_yours"},
	}}

// postedFile reads the form's file; what is wrong with it goes on the form's "file" field.
func (s *Site) postedFile(c *Ctx, f *Form) (string, []byte) {
	file, header, err := c.R.FormFile("file")
	if err != nil {
		f.Fail("file", c.Loc.T("upload.file.required"))
		return "", nil
	}
	defer file.Close()
	if header.Size > maxDocumentBytes {
		f.Fail("file", c.Loc.T("upload.file.too_large"))
		return "", nil
	}
	content, err := io.ReadAll(io.LimitReader(file, maxDocumentBytes+1))
	if err != nil || len(content) == 0 {
		f.Fail("file", c.Loc.T("upload.file.required"))
		return "", nil
	}
	return header.Filename, content
}

// staffDocument downloads a document of an appointment of the staff member's hospital.
func (s *Site) staffDocument(c *Ctx) {
	if v, ok := s.staffAppointment(c); ok {
		s.sendDocument(c, v)
	}
}

// citizenDocument downloads a document of the citizen's own appointment.
func (s *Site) citizenDocument(c *Ctx) {
	if v, ok := s.appointment(c); ok {
		s.sendDocument(c, v)
	}
}

// sendDocument streams the document {doc} of appointment v (sendFile), named as the list names it.
func (s *Site) sendDocument(c *Ctx, v appointmentView) {
	ds, err := s.api.Documents(c.R.Context(), c.Data.AccessToken, v.ID)
	if err != nil {
		c.apiFail(err)
		return
	}
	id := c.R.PathValue("doc")
	for _, d := range ds {
		if d.ID != id {
			continue
		}
		got, err := s.api.DownloadDocument(c.R.Context(), c.Data.AccessToken, d.ID)
		if err != nil {
			c.apiFail(err)
			return
		}
		sendFile(c, d.FileName, got)
		return
	}
	s.notFound(c)
}

// sendFile streams a downloaded file as an attachment named name, with the type the BB recognised (one of
// documentType's) and nosniff so the browser does not guess another. Appointment, tender and bid documents
// are all sent through it.
func sendFile(c *Ctx, name string, got gatewayapi.Download) {
	h := c.W.Header()
	h.Set("Content-Type", documentType(got.ContentType))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(got.Content)))
	http.ServeContent(c.W, c.R, "", time.Time{}, strings.NewReader(string(got.Content)))
}

// documentType is the type a download is sent with: one of the three Scheduling accepts, else a plain
// download.
func documentType(t string) string {
	switch mt, _, _ := mime.ParseMediaType(t); mt {
	case "application/pdf", "image/png", "image/jpeg":
		return mt
	}
	return "application/octet-stream"
}
