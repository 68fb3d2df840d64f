package payments

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/app"
	"github.com/govstackbb/marketplace/services/payments/internal/fakerail"
	"github.com/govstackbb/marketplace/services/payments/internal/rail"
	"github.com/govstackbb/marketplace/services/payments/internal/railport"
)

// The rails Payments can pay through (GOVSTACK_PAYMENTS_RAIL).
const (
	// RailSandbox is the in-process development rail: addresses ending 000 are refused, 999 fail, the rest
	// settle at once.
	RailSandbox = "sandbox"
	// RailMobileMoney is a rail speaking the GSMA Mobile Money API (a mobile money operator, or cmd/railsim).
	// Its callbacks come to POST /rails/mobilemoney/callbacks.
	RailMobileMoney = "mobilemoney"
)

// RailSettings choose the rail and how it is called.
type RailSettings struct {
	// Rail is the payment rail: RailSandbox or RailMobileMoney.
	Rail string `env:"GOVSTACK_PAYMENTS_RAIL" envDefault:"sandbox"`
	// RailRate bounds the calls per second to each rail, per replica (README: why per replica).
	RailRate float64 `env:"GOVSTACK_PAYMENTS_RAIL_RATE" envDefault:"200"`
	// RailURL is the mobile money API's base URL, e.g. https://mmo.example/v1.2/mm or http://railsim:8095.
	RailURL string `env:"GOVSTACK_PAYMENTS_RAIL_URL"`
	// RailToken is the bearer token the rail issued us (sent, never logged).
	RailToken string `env:"GOVSTACK_PAYMENTS_RAIL_TOKEN"`
	// RailPayerAccount is the disbursing organisation's account at the rail (the debit party).
	RailPayerAccount string `env:"GOVSTACK_PAYMENTS_RAIL_PAYER_ACCOUNT" envDefault:"govstack-payments"`
	// RailCallbackURL is where the rail posts results: the gateway's /rails/mobilemoney/callbacks. Empty:
	// no callbacks, every result is polled (after RailRecheck).
	RailCallbackURL string `env:"GOVSTACK_PAYMENTS_RAIL_CALLBACK_URL"`
	// RailTimeout bounds one HTTP attempt; RailAttempts is how often one call is tried (under one id).
	RailTimeout  time.Duration `env:"GOVSTACK_PAYMENTS_RAIL_TIMEOUT" envDefault:"10s"`
	RailAttempts int           `env:"GOVSTACK_PAYMENTS_RAIL_ATTEMPTS" envDefault:"4"`
	// RailRecheck is how long after a payment's last word (its submission, a time-out) the reconciliation
	// asks the rail about it, when no callback has settled it.
	RailRecheck time.Duration `env:"GOVSTACK_PAYMENTS_RAIL_RECHECK" envDefault:"10s"`
}

// validate reports every bad rail setting, each by its variable.
func (r RailSettings) validate() []error {
	var errs []error
	switch r.Rail {
	case RailSandbox:
	case RailMobileMoney:
		if err := absoluteURL(r.RailURL); err != nil {
			errs = append(errs, fmt.Errorf("GOVSTACK_PAYMENTS_RAIL_URL: %w (required with GOVSTACK_PAYMENTS_RAIL=mobilemoney)", err))
		}
		if r.RailCallbackURL != "" {
			if err := absoluteURL(r.RailCallbackURL); err != nil {
				errs = append(errs, fmt.Errorf("GOVSTACK_PAYMENTS_RAIL_CALLBACK_URL: %w, e.g. http://gateway:8080/rails/mobilemoney/callbacks", err))
			}
		}
	default:
		errs = append(errs, fmt.Errorf("GOVSTACK_PAYMENTS_RAIL: must be %q or %q (got %q)", RailSandbox, RailMobileMoney, r.Rail))
	}
	if !(r.RailRate > 0) {
		errs = append(errs, errors.New("GOVSTACK_PAYMENTS_RAIL_RATE: must be more than 0"))
	}
	if r.RailTimeout <= 0 || r.RailRecheck <= 0 {
		errs = append(errs, fmt.Errorf("GOVSTACK_PAYMENTS_RAIL_TIMEOUT, GOVSTACK_PAYMENTS_RAIL_RECHECK: must be positive durations such as 10s (got %s, %s)",
			r.RailTimeout, r.RailRecheck))
	}
	if r.RailAttempts < 1 || r.RailAttempts > 10 {
		errs = append(errs, fmt.Errorf("GOVSTACK_PAYMENTS_RAIL_ATTEMPTS: must be 1 to 10 (got %d)", r.RailAttempts))
	}
	return errs
}

func absoluteURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("must be an absolute http(s) URL (got %q)", raw)
	}
	return nil
}

// rail builds the configured rail.
func (r RailSettings) rail(log *slog.Logger) (app.Rail, error) {
	if r.Rail != RailMobileMoney {
		return fakerail.New(RailSandbox), nil
	}
	mm, err := rail.NewMobileMoney(rail.MobileMoneyOptions{Name: RailMobileMoney, BaseURL: r.RailURL,
		CallbackURL: r.RailCallbackURL, Token: r.RailToken, PayerAccount: r.RailPayerAccount,
		AttemptTimeout: r.RailTimeout, MaxAttempts: r.RailAttempts, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("GOVSTACK_PAYMENTS_RAIL_URL: %w", err)
	}
	return railport.MobileMoney{R: mm}, nil
}
