package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"google.golang.org/grpc/codes"
)

// XMLUploads are the REST paths that take a document as it is (Content-Type application/xml, text/xml or
// application/bpmn+xml), with the JSON field of the request message it goes into: the Workflow BB's plain
// BPMN deploy, so that what a modeler saves can be sent without a JSON envelope.
var XMLUploads = map[string]string{"/processes/bpmn": "bpmnXml"}

// isXML reports whether a content type is an XML one.
func isXML(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/xml" || mt == "text/xml" || mt == "application/bpmn+xml")
}

// XMLUpload turns a POST of an XML document to one of XMLUploads into the JSON request {"<field>": "<the
// document>"} before next decodes it. A body over the limit (set by Limit) is a 413. Other requests pass
// unchanged.
func XMLUpload(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		field, ok := XMLUploads[r.URL.Path]
		if !ok || r.Method != http.MethodPost || !isXML(r.Header.Get("Content-Type")) {
			next.ServeHTTP(w, r)
			return
		}
		doc, err := io.ReadAll(r.Body)
		var mbe *http.MaxBytesError
		switch info := InfoFrom(r.Context()); {
		case errors.As(err, &mbe) || info.bodyTooLarge:
			writeTooLarge(w, r, info.bodyLimit)
			return
		case err != nil:
			WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument, "the request body could not be read: it ended early")
			return
		}
		body, err := json.Marshal(map[string]string{field: string(doc)})
		if err != nil {
			WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument, "the document is not text")
			return
		}
		r2 := r.WithContext(r.Context())
		r2.Header = r.Header.Clone()
		r2.Header.Set("Content-Type", "application/json")
		r2.Header.Del("Content-Length")
		r2.Body, r2.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		next.ServeHTTP(w, r2)
	})
}
