package devstack

// govstack dev's demo procurement: the four tenders of the eMarketplace's seed use cases, each at its own
// stage, with a demo buyer per organisation and demo suppliers from the companies registry.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/govstackbb/marketplace/platform/usertoken"
	"github.com/govstackbb/marketplace/services/procurement"
	"github.com/govstackbb/marketplace/services/registration"
)

// DemoPassword signs in every demo buyer and supplier.
const DemoPassword = "govstack-demo-password"

// DemoDay is the working day of the demo tenders that must reach a stage past their deadlines: set on their
// drafts (procurement.SetDemoWorkingDay) so their periods pass in seconds while every other tender keeps the
// real calendar.
const DemoDay = 3 * time.Second

// DemoAccount is a demo buyer or supplier, as the banner and README list them.
type DemoAccount struct {
	Email, Name, Organisation, CompanyID string
}

// DemoBuyers are one buyer per organisation of the seed use cases, on public-sector e-mail domains.
var DemoBuyers = []DemoAccount{
	{Email: "ict.buyer@graceacademy.sch.uk", Name: "Amira Patel", Organisation: "Grace Academy Darlaston"},
	{Email: "hmpps.buyer@justice.gov.uk", Name: "Daniel Hughes", Organisation: "Ministry of Justice"},
	{Email: "procurement@thanet.gov.uk", Name: "Sarah Collins", Organisation: "Thanet District Council"},
	{Email: "sw.commissioning@england.nhs.uk", Name: "Tom Edwards", Organisation: "NHS England South West"},
}

// DemoSuppliers are companies of the companies registry seed; Contoso (123456789) and Initech (555000111),
// which the README and the portal's page suggest, are left for a newcomer to register.
var DemoSuppliers = []DemoAccount{
	{Email: "bids@adatum.example", Name: "Priya Raman", Organisation: "Adatum Digital Ltd", CompanyID: "04567890"},
	{Email: "tenders@northwind-medical.example", Name: "Nancy Davolio", Organisation: "Northwind Medical Ltd", CompanyID: "09876543"},
	{Email: "bids@globex-logistics.example", Name: "Hank Scorpio", Organisation: "Globex Logistics Ltd", CompanyID: "01234567"},
}

// DemoTender is one demo tender: its title, its buyer (an index into DemoBuyers) and the stage the seed
// brings it to.
type DemoTender struct {
	Title, Stage string
	Buyer        int
	draft        map[string]any
	run          func(context.Context, *demoSeed, string) error
}

// seedDemoAccounts creates (or resets) the demo buyers and suppliers in the Registration BB, as its
// administrator is seeded: active, with DemoPassword.
func seedDemoAccounts(ctx context.Context, pool *pgxpool.Pool) error {
	for _, a := range append(append([]DemoAccount{}, DemoBuyers...), DemoSuppliers...) {
		role := usertoken.RoleBuyer
		if a.CompanyID != "" {
			role = usertoken.RoleSupplier
		}
		if err := registration.SeedDemoAccount(ctx, pool, registration.DemoAccount{Email: a.Email, Password: DemoPassword,
			Name: a.Name, Organisation: a.Organisation, CompanyID: a.CompanyID, Roles: []string{role}}); err != nil {
			return err
		}
	}
	return nil
}

// demoSeed is one run of the seed: the gateway client and the demo users' tokens.
type demoSeed struct {
	c         demoClient
	pool      *pgxpool.Pool // procurement's database, for the demo working day
	buyers    []string
	suppliers []string
}

// SeedDemoTenders brings the demo tenders (DemoTenders) to their stages through the gateway's REST API, as
// their buyers and suppliers would, once the stack serves (call it while Run runs). A tender its buyer
// already has (by title) is left as it is, so a second start adds nothing. It needs development mode: the
// seed calls the gateway with an identity header alone.
func (s *Stack) SeedDemoTenders(ctx context.Context) error {
	reg, proc := s.bbPool(registration.Name), s.bbPool(procurement.Name)
	if reg == nil || proc == nil {
		return errors.New("demo tenders: the registration and procurement BBs must run in this stack")
	}
	if err := seedDemoAccounts(ctx, reg); err != nil {
		return fmt.Errorf("demo accounts: %w", err)
	}
	if !s.cfg.DevMode {
		return errors.New("demo tenders: the seed needs the gateway in development mode (GOVSTACK_GATEWAY_DEV_MODE=true)")
	}
	d := &demoSeed{c: demoClient{base: s.URL(), http: &http.Client{Timeout: 30 * time.Second}}, pool: proc}
	if err := d.signInAll(ctx); err != nil {
		return err
	}
	if err := d.fundTreasury(ctx, s.cfg.Procurement.Payer); err != nil {
		return err
	}
	for _, t := range DemoTenders() {
		if err := d.seed(ctx, t); err != nil {
			return fmt.Errorf("demo tender %q: %w", t.Title, err)
		}
	}
	return nil
}

// bbPool is the database pool of building block name, nil when the stack does not run it.
func (s *Stack) bbPool(name string) *pgxpool.Pool {
	for _, rb := range s.bbs {
		if rb.def.name == name {
			return rb.pool
		}
	}
	return nil
}

// signInAll waits for the gateway to serve (sign-in answers), then signs every demo user in.
func (d *demoSeed) signInAll(ctx context.Context) error {
	err := waitFor(ctx, 60*time.Second, "the gateway to sign the demo buyer in", func() (bool, error) {
		tok, err := d.c.signIn(ctx, DemoBuyers[0].Email, DemoPassword)
		return tok != "", err
	})
	if err != nil {
		return err
	}
	for _, list := range []struct {
		accounts []DemoAccount
		tokens   *[]string
	}{{DemoBuyers, &d.buyers}, {DemoSuppliers, &d.suppliers}} {
		for _, a := range list.accounts {
			tok, err := d.c.signIn(ctx, a.Email, DemoPassword)
			if err != nil {
				return err
			}
			*list.tokens = append(*list.tokens, tok)
		}
	}
	return nil
}

// seed drafts t as its buyer unless the buyer has it already, then runs it to its stage.
func (d *demoSeed) seed(ctx context.Context, t DemoTender) error {
	buyer := d.buyers[t.Buyer]
	var tenders []struct{ ID, Title, BuyerOrganisation string }
	if err := d.c.call(ctx, "GET", "/tenders?limit=500", buyer, nil, 200, &tenders); err != nil {
		return err
	}
	for _, have := range tenders {
		if have.Title == t.Title && have.BuyerOrganisation == DemoBuyers[t.Buyer].Organisation {
			return nil
		}
	}
	draft := maps.Clone(t.draft)
	draft["title"] = t.Title
	if err := d.attachSpecification(ctx, buyer, draft); err != nil {
		return err
	}
	var created struct{ ID string }
	if err := d.c.call(ctx, "POST", "/tenders", buyer, draft, 201, &created); err != nil {
		return err
	}
	if t.run == nil {
		return nil
	}
	return t.run(ctx, d, created.ID)
}

// publish publishes the draft id as buyer b, on DemoDay's working day when short is set.
func (d *demoSeed) publish(ctx context.Context, b int, id string, short bool) error {
	if short {
		if err := procurement.SetDemoWorkingDay(ctx, d.pool, id, DemoDay); err != nil {
			return err
		}
	}
	return d.c.call(ctx, "POST", "/tenders/"+id+"/publish", d.buyers[b], map[string]any{}, 200, nil)
}

// bid submits supplier s's sealed bid on tender id.
func (d *demoSeed) bid(ctx context.Context, s int, id, price, proposal string) error {
	return d.c.call(ctx, "POST", "/tenders/"+id+"/bids", d.suppliers[s], map[string]any{"price": price, "proposal": proposal}, 201, nil)
}

// demoBid is a bid as the buyer sees it after the opening.
type demoBid struct{ ID, Status, CompanyID string }

// openedBids waits for the tender's deadline, the opening and the eligibility check, and returns the bids.
func (d *demoSeed) openedBids(ctx context.Context, b int, id string) ([]demoBid, error) {
	var bids []demoBid
	err := waitFor(ctx, 2*time.Minute, "the bids opened and checked", func() (bool, error) {
		bids = nil
		if err := d.c.call(ctx, "GET", "/tenders/"+id+"/bids", d.buyers[b], nil, 200, &bids); err != nil {
			return false, err
		}
		for _, bid := range bids {
			if bid.Status == "submitted" {
				return false, nil
			}
		}
		return len(bids) > 0, nil
	})
	return bids, err
}

// completeTask completes the next user task of tender id's process instance with variables.
func (d *demoSeed) completeTask(ctx context.Context, b int, id string, variables map[string]any) error {
	var instances []struct{ ID string }
	if err := d.c.call(ctx, "GET", "/instances?processId=procurement&businessKey="+url.QueryEscape(id), d.buyers[b], nil, 200, &instances); err != nil {
		return err
	}
	if len(instances) != 1 {
		return fmt.Errorf("tender %s has %d procurement instances", id, len(instances))
	}
	var task string
	err := waitFor(ctx, time.Minute, "a user task of tender "+id, func() (bool, error) {
		var tasks []struct{ ID, ProcessInstanceID string }
		if err := d.c.call(ctx, "GET", "/user-tasks?processId=procurement", d.buyers[b], nil, 200, &tasks); err != nil {
			return false, err
		}
		for _, t := range tasks {
			if t.ProcessInstanceID == instances[0].ID {
				task = t.ID
			}
		}
		return task != "", nil
	})
	if err != nil {
		return err
	}
	return d.c.call(ctx, "POST", "/user-tasks/"+task+"/completion", d.buyers[b], map[string]any{"variables": variables}, 200, nil)
}
