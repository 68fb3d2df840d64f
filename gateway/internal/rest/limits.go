package rest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"google.golang.org/grpc/codes"
)

// Limit bounds what one REST request may cost: its body is at most l.Body bytes (l.Upload for a multipart
// document upload, l.Bulk on a bulk route; 413 otherwise) and the upstream call gets a deadline of l.Timeout (504 when it passes),
// carried to the BB as the gRPC deadline.
func Limit(l Limits, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		maxBody, timeout := l.Body, l.Timeout
		if IsUpload(r) && l.Upload > 0 {
			maxBody = l.Upload
		}
		if l.Bulk > 0 && l.BulkRoutes[r.Method+" "+r.URL.Path] {
			maxBody = l.Bulk
		}
		info := InfoFrom(r.Context())
		info.bodyLimit = maxBody
		if r.ContentLength > maxBody {
			// Declared too large: refuse before reading a byte.
			writeTooLarge(w, r, maxBody)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			// Chunked or lying bodies are caught while the generated handler decodes them; the flag lets
			// ErrorHandler tell this InvalidArgument apart from malformed JSON.
			r.Body = &limitedBody{ReadCloser: http.MaxBytesReader(w, r.Body, maxBody), info: info}
		}
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type limitedBody struct {
	io.ReadCloser
	info *Info
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		b.info.bodyTooLarge = true
	}
	return n, err
}

func writeTooLarge(w http.ResponseWriter, r *http.Request, limit int64) {
	WriteError(w, r, http.StatusRequestEntityTooLarge, codes.InvalidArgument,
		fmt.Sprintf("request body is larger than the limit of %d bytes", limit))
}
