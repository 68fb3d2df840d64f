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
