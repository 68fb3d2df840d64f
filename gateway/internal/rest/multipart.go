package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"google.golang.org/grpc/codes"
)

// UploadPath is the REST path of document uploads (the Registration BB's UploadDocument). GovStack sends
// them as multipart/form-data, which grpc-gateway cannot decode, so Multipart turns them into the JSON
// request first.
const UploadPath = "/documents"

// maxMetadataBytes bounds the additionalMetadata text field of an upload.
const maxMetadataBytes = 64 << 10

// IsUpload reports whether r is a multipart/form-data POST to UploadPath (after /r1 routing and aliases).
func IsUpload(r *http.Request) bool {
	if r.Method != http.MethodPost || r.URL.Path != UploadPath {
		return false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

// uploadFile and uploadRequest are the JSON form of UploadDocumentRequest; []byte marshals as base64, which
// is how protojson reads bytes fields.
type uploadFile struct {
	Name        string `json:"name"`
	ContentType string `json:"contentType,omitempty"`
	Content     []byte `json:"content"`
}

type uploadRequest struct {
	File               []uploadFile `json:"file"`
	AdditionalMetadata string       `json:"additionalMetadata,omitempty"`
}

// Multipart turns a multipart upload (IsUpload) into the JSON request {"file": [{"name", "contentType",
// "content"}], "additionalMetadata"} before next decodes it. Parts named "file" (repeatable) are the
// files; additionalMetadata is kept; other fields are ignored. A malformed body is a 400 that says so, a
// body over the limit (set by Limit) a 413. Other requests pass unchanged.
func Multipart(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !IsUpload(r) {
			next.ServeHTTP(w, r)
			return
		}
		body, err := uploadJSON(r)
		var mbe *http.MaxBytesError
		switch info := InfoFrom(r.Context()); {
		case errors.As(err, &mbe) || info.bodyTooLarge:
			writeTooLarge(w, r, info.bodyLimit)
			return
		case err != nil:
			WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument,
				"the upload is not valid multipart/form-data: "+err.Error()+"; send each file in a part named \"file\"")
			return
		}
		r2 := r.WithContext(r.Context()) // a shallow copy whose body and headers we may replace
		r2.Header = r.Header.Clone()
		r2.Header.Set("Content-Type", "application/json")
		r2.Header.Del("Content-Length")
		r2.Body, r2.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		next.ServeHTTP(w, r2)
	})
}

func uploadJSON(r *http.Request) ([]byte, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	req := uploadRequest{File: []uploadFile{}}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := readPart(part.FormName(), part, part.FileName(), part.Header.Get("Content-Type"), &req); err != nil {
			return nil, err
		}
	}
	return json.Marshal(req)
}

func readPart(field string, part io.Reader, fileName, contentType string, req *uploadRequest) error {
	switch field {
	case "file":
		b, err := io.ReadAll(part)
		if err != nil {
			return err
		}
		req.File = append(req.File, uploadFile{Name: fileName, ContentType: contentType, Content: b})
	case "additionalMetadata":
		b, err := io.ReadAll(io.LimitReader(part, maxMetadataBytes+1))
		if err != nil {
			return err
		}
		if len(b) > maxMetadataBytes {
			return fmt.Errorf("additionalMetadata is longer than %d bytes", maxMetadataBytes)
		}
		req.AdditionalMetadata = string(b)
	default:
		// Fields GovStack does not define are ignored, but read: the next part follows them.
		if _, err := io.Copy(io.Discard, part); err != nil {
			return err
		}
	}
	return nil
}
