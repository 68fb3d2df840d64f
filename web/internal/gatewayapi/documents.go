package gatewayapi

import (
	"context"
	"net/http"
	"path"
)

// The Registration BB's document store (POST /documents): a file a person uploads is kept there, readable
// by its uploader, and other BBs refer to it by its id — procurement's bid documents are such references.

// UploadRegistrationDocument stores one file (PDF, PNG or JPEG, checked by content) for the signed-in person and
// returns its id.
func (c *Client) UploadRegistrationDocument(ctx context.Context, token, idempotencyKey, name string, content []byte) (string, error) {
	type file struct {
		Name    string `json:"name"`
		Content []byte `json:"content"`
	}
	out, err := send[struct {
		URL string `json:"url"`
	}](ctx, c, http.MethodPost, token, idempotencyKey, "/documents", map[string]any{"file": []file{{Name: name, Content: content}}})
	return path.Base(out.URL), err
}
