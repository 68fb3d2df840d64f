package gatewayapi

import (
	"context"
	"net/http"
	"path"
)

// The Registration BB's document store (POST /documents): a file a person uploads is kept there, readable
// by its uploader, and other BBs refer to it by its id — procurement's tender and bid documents are such
// references, and procurement serves them to the people who may read them.

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

// TenderDocument reads one of a tender's uploaded documents through procurement, which fetches it from
// Registration: anyone may once the tender is published (token "" for an anonymous reader), a draft's only
// its buyer's organisation.
func (c *Client) TenderDocument(ctx context.Context, token, tenderID, documentID string) (Download, error) {
	var d Download
	err := c.do(ctx, call{method: http.MethodGet, path: tenderPath(tenderID, "documents", documentID), token: token, raw: &d})
	return d, err
}

// BidDocument reads one of an opened bid's uploaded documents through procurement: the buyer's organisation
// and the bidder may.
func (c *Client) BidDocument(ctx context.Context, token, tenderID, bidID, documentID string) (Download, error) {
	var d Download
	err := c.do(ctx, call{method: http.MethodGet, path: tenderPath(tenderID, "bids", bidID, "documents", documentID), token: token, raw: &d})
	return d, err
}
