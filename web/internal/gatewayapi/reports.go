package gatewayapi

import (
	"context"
	"net/http"
	"time"
)

// The procurement service's reports (services/procurement/README.md, /reports/*): public, no token needed.

// StageCount is how many tenders are in one stage.
type StageCount struct {
	Stage   string `json:"stage"`
	Tenders int    `json:"tenders"`
}

// TenderBids is one tender's bid count.
type TenderBids struct {
	TenderID     string `json:"tenderId"`
	Title        string `json:"title"`
	Stage        string `json:"stage"`
	Bids         int    `json:"bids"`
	Withdrawn    int    `json:"withdrawn"`
	Disqualified int    `json:"disqualified"`
}

// OverdueStep is a procurement step past its deadline.
type OverdueStep struct {
	TenderID    string    `json:"tenderId"`
	Step        string    `json:"step"`
	Subject     string    `json:"subject"`
	Due         time.Time `json:"due"`
	OverdueDays float64   `json:"overdueDays"`
}

// TendersByStage counts the tenders per stage, in lifecycle order.
func (c *Client) TendersByStage(ctx context.Context, token string) ([]StageCount, error) {
	var out struct {
		Stages []StageCount `json:"stages"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/reports/tendersByStage", token: token, out: &out})
	return out.Stages, err
}

// BidsPerTender lists the bid counts of the newest limit tenders.
func (c *Client) BidsPerTender(ctx context.Context, token string, limit int) ([]TenderBids, error) {
	var out struct {
		Tenders []TenderBids `json:"tenders"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/reports/bidsPerTender" + query("limit", itoa(limit)), token: token, out: &out})
	return out.Tenders, err
}

// OverdueSteps lists the steps past their deadline, oldest first.
func (c *Client) OverdueSteps(ctx context.Context, token string) ([]OverdueStep, error) {
	var out struct {
		Steps []OverdueStep `json:"steps"`
	}
	err := c.do(ctx, call{method: http.MethodGet, path: "/reports/overdueSteps", token: token, out: &out})
	return out.Steps, err
}
