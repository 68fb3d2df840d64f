package gatewayapi

import (
	"context"
	"net/http"
)

// The Payments BB's batch counts (services/payments/README.md): the batches of the portal's tenant — its IM
// member, which hands procurement's contract payments over — by status.

// BatchCount is how many payment batches are in one status.
type BatchCount struct {
	Status  string `json:"status"`
	Batches int    `json:"batches"`
}

// BatchCounts counts the payment batches by status, in lifecycle order.
func (c *Client) BatchCounts(ctx context.Context, token string) ([]BatchCount, error) {
	var out struct {
		Statuses []BatchCount `json:"statuses"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/batches/statusCounts", token: token, out: &out})
	return out.Statuses, err
}

// The Payments BB's batch status and funds authorisation (services/payments/README.md). Payments keeps a
// batch under the IM member that handed it over: procurement's milestone payments live under
// GOVSTACK/GOV/GOVSTACK, the portal's own member, so the portal reads and authorises them with an
// approver's token.

// Batch is a payment batch's summary.
type Batch struct {
	ID                string `json:"batchId"`
	Status            string `json:"status"`
	TotalAmount       string `json:"totalAmount"`
	CompletedAmount   string `json:"completed_amount"`
	Currency          string `json:"currency"`
	Approvals         int    `json:"approvals"`
	ApprovalsRequired int    `json:"approvalsRequired"`
}

// Batch reads a batch's summary.
func (c *Client) Batch(ctx context.Context, token, batchID string) (Batch, error) {
	return get[Batch](ctx, c, token, "/api/v1/batch"+query("batchId", batchID))
}

// Authorization is Payments' answer to an authorisation: Authorized is Y (funds reserved), N (refused, with
// Reason) or empty while a second approver is awaited.
type Authorization struct {
	Authorized string `json:"authorized"`
	Reason     string `json:"reason"`
	Status     string `json:"status"`
}

// AuthorizeBatch authorises a batch's funds from payer: the amount must be the batch's valid total.
func (c *Client) AuthorizeBatch(ctx context.Context, token, idempotencyKey, batchID, payer, currency, amount string) (Authorization, error) {
	return send[Authorization](ctx, c, http.MethodPost, token, idempotencyKey, "/batches/"+pathEscape(batchID)+"?command=authorize",
		map[string]string{"batchID": batchID, "payerIdentifier": payer, "currency": currency, "amount": amount})
}
