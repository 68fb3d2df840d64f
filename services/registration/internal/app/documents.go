package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// MaxDocumentsPerUpload is how many files one POST /documents may carry.
const MaxDocumentsPerUpload = 10

// defaultMaxDocumentBytes applies when Options.MaxDocumentBytes is not set (5 MiB, as documented).
const defaultMaxDocumentBytes = 5 << 20

// allowedDocumentTypes are the content types accepted, as http.DetectContentType names them.
var allowedDocumentTypes = map[string]bool{"application/pdf": true, "image/png": true, "image/jpeg": true}

// UploadFile is one uploaded file. Its declared content type is ignored: the type is detected from the bytes.
type UploadFile struct {
	Name    string
	Content []byte
}

// UploadDocuments checks and stores 1–10 files (each at most MaxDocumentBytes, PDF, PNG or JPEG by content)
// and returns their URLs (/documents/<id>), in order. Nothing is stored unless every file is acceptable.
func (s *Service) UploadDocuments(ctx context.Context, files []UploadFile, metadata string) ([]string, error) {
	docs, err := s.checkUploads(files)
	if err != nil {
		return nil, err
	}
	uploader := ""
	if c := callerOf(ctx); c.signedIn {
		uploader = c.claims.Subject
	}
	now := s.stamp()
	urls := make([]string, len(docs))
	for i := range docs {
		d := &docs[i]
		d.ID, d.Metadata, d.UploadedBy, d.Created = newID(), metadata, uploader, now
		urls[i] = domain.DocumentPath(d.ID)
	}
	if err := s.store.AddDocuments(ctx, docs); err != nil {
		return nil, err
	}
	return urls, nil
}

func (s *Service) checkUploads(files []UploadFile) ([]domain.Document, error) {
	switch {
	case len(files) == 0:
		return nil, apierr.Invalid("NO_DOCUMENT", "send at least one file (multipart field \"file\")",
			apierr.FieldViolation{Field: "file", Description: "required"})
	case len(files) > MaxDocumentsPerUpload:
		return nil, apierr.Invalid("TOO_MANY_DOCUMENTS", "send at most "+strconv.Itoa(MaxDocumentsPerUpload)+" files per upload",
			apierr.FieldViolation{Field: "file", Description: strconv.Itoa(len(files)) + " files"})
	}
	limit := s.opts.MaxDocumentBytes
	if limit <= 0 {
		limit = defaultMaxDocumentBytes
	}
	docs := make([]domain.Document, 0, len(files))
	for i, f := range files {
		field := "file[" + strconv.Itoa(i) + "]"
		if len(f.Content) == 0 {
			return nil, apierr.Invalid("EMPTY_DOCUMENT", field+" is empty", apierr.FieldViolation{Field: field, Description: "empty"})
		}
		if int64(len(f.Content)) > limit {
			return nil, apierr.Invalid("DOCUMENT_TOO_LARGE",
				field+" is "+strconv.Itoa(len(f.Content))+" bytes; the limit is "+strconv.FormatInt(limit, 10)+" bytes",
				apierr.FieldViolation{Field: field, Description: "larger than " + strconv.FormatInt(limit, 10) + " bytes"})
		}
		ct, _, _ := strings.Cut(http.DetectContentType(f.Content), ";")
		if !allowedDocumentTypes[ct] {
			return nil, apierr.Invalid("UNSUPPORTED_DOCUMENT_TYPE",
				field+" is "+ct+" by its content; only PDF, PNG and JPEG are accepted",
				apierr.FieldViolation{Field: field, Description: "detected type " + ct + "; want application/pdf, image/png or image/jpeg"})
		}
		sum := sha256.Sum256(f.Content)
		docs = append(docs, domain.Document{Name: f.Name, ContentType: ct, Size: int64(len(f.Content)),
			SHA256: hex.EncodeToString(sum[:]), Content: f.Content})
	}
	return docs, nil
}

// GetDocument returns a document with its content. An applicant may read only documents they uploaded.
func (s *Service) GetDocument(ctx context.Context, id string) (domain.Document, error) {
	if err := callerOf(ctx).requirePersonalData("documents"); err != nil {
		return domain.Document{}, err
	}
	id, err := domain.LookupID("DOCUMENT_NOT_FOUND", "document", id)
	if err != nil {
		return domain.Document{}, err
	}
	d, err := s.store.Document(ctx, id)
	if err != nil {
		return d, err
	}
	if !callerOf(ctx).mayRead(d.UploadedBy) {
		return domain.Document{}, apierr.NotFound("DOCUMENT_NOT_FOUND", "no document with id "+id)
	}
	return d, nil
}
