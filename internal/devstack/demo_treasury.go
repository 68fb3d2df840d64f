package devstack

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// The treasury's demo funds: milestones are paid from the payer's funding account at Payments
// (GOVSTACK_PROCUREMENT_PAYER), which an operator funds with a ledger entry. The demo does it, so that a
// newcomer can run a tender to payment from the portal alone.
const (
	demoTreasuryFloor  = 100_000.00   // below this the seed tops the account up…
	demoTreasuryAmount = "5000000.00" // …by this much
)

// demoTreasuryCurrencies are the currencies of the demo tenders and the portal's draft form.
var demoTreasuryCurrencies = []string{"GBP", "EUR"}

// fundTreasury tops up the payer's funding account in each demo currency when it holds less than the floor.
// The seed's IM client is of the same IM member as procurement, so the account is the one its payments use.
func (d *demoSeed) fundTreasury(ctx context.Context, payer string) error {
	code := "funding:" + payer
	for _, currency := range demoTreasuryCurrencies {
		var got struct {
			Account struct {
				Available string `json:"available"`
			} `json:"account"`
		}
		err := d.c.call(ctx, "GET", "/ledger/account?"+url.Values{"code": {code}, "currency": {currency}}.Encode(), "", nil, 200, &got)
		if available, perr := strconv.ParseFloat(got.Account.Available, 64); err == nil && perr == nil && available >= demoTreasuryFloor {
			continue
		}
		// One correlation id per day and currency: a retried seed funds once.
		key := fmt.Sprintf("demo-treasury-%s-%s-%s", payer, currency, time.Now().UTC().Format("2006-01-02"))
		body := map[string]string{"code": code, "currency": currency, "amount": demoTreasuryAmount, "reference": "govstack dev demo funds"}
		if err := d.c.callWith(ctx, "POST", "/ledger/funding", "", map[string]string{"X-CorrelationID": key}, body, 200, nil); err != nil {
			return fmt.Errorf("the treasury's demo funds: %w", err)
		}
	}
	return nil
}
