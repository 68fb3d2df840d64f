package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/govstackbb/marketplace/internal/devstack"
	"github.com/govstackbb/marketplace/platform/imassert"
	"github.com/govstackbb/marketplace/services/procurement"
)

// TestProcurementProcessKilledMidway is issue 17's "passes again when one BB process is killed and restarted
// mid-way": procurement runs as its own OS process (its binary, built here) behind the stack's gateway, while
// every other BB keeps running in the stack. It is killed with SIGKILL twice — after the bids, so the bids'
// deadline passes while it is dead, and right after a delivery is confirmed, before or while it instructs the
// payment — and started again each time. The journey still ends paid and closed, and nothing is done twice:
// one award, one Payments batch per milestone, one receipt and one award decision e-mail per bidder.
func TestProcurementProcessKilledMidway(t *testing.T) {
	built := buildBB(t, "services/procurement", "procurement") // while the cluster starts
	pgURL, natsURL := privatePostgres(t), tcpNATS(t)
	bin := built(t)
	procAddr := freeAddr(t)
	var proc *bbProcess
	s := startStackWith(t, func(c *devstack.Config) {
		c.HTTPAddr, c.GRPCAddr = freeAddr(t), freeAddr(t)  // known before the stack starts: the process needs them
		c.NATSURL, c.DatabasePrefix = natsURL, "govstack_" // the binary's database is govstack_procurement
		c.Procurement.WorkingDay = procurementDay
		c.External = map[string]string{procurement.Name: procAddr}
		env := procurementEnv(*c, pgURL, procAddr)
		migrateBB(t, bin, env)
		proc = startBB(t, bin, env)
	})
	// The process started before the stack: it deploys its BPMN to Workflow once the IM answers.
	waitJSON(t, s, "/processes/procurement", nil, "the procurement process deployed", func(any) bool { return true })
	_, buyer := registerBuyer(t, s, "kim")
	contoso := registerSupplier(t, s, "123456789", "contoso")
	initech := registerSupplier(t, s, "555000111", "initech")
	tender := publishTender(t, s, buyer)
	id := tender["id"].(string)
	for _, b := range []struct {
		who   supplier
		price string
	}{{contoso, "9500.00"}, {initech, "8700.00"}} {
		expect(t, s.do(t, "POST", "/tenders/"+id+"/bids", `{"price":"`+b.price+`","proposal":"switches"}`, bearer(b.who.token)), 201)
		s.mail.waitFor(t, 1, to(b.who.email, "Bid received"))
	}

	// Killed between the bids and the deadline: the deadline is reached while procurement is dead.
	proc.kill(t)
	tenderEnd, _ := time.Parse(time.RFC3339, tender["tenderEnd"].(string))
	time.Sleep(time.Until(tenderEnd) + 1100*time.Millisecond) // the JSON times are whole seconds
	expect(t, s.do(t, "GET", "/tenders/"+id, "", nil), 503)   // the gateway answers for it: unavailable
	proc = proc.restart(t)
	bids := waitJSON(t, s, "/tenders/"+id+"/bids", bearer(buyer), "the bids opened and eligible", func(v any) bool {
		l, _ := v.([]any)
		return len(l) == 2 && field2(l[0], "status") == "eligible" && field2(l[1], "status") == "eligible"
	}).([]any)
	expect(t, s.do(t, "POST", "/tenders/"+id+"/declarations", `{"conflict":false,"statement":"no interest"}`, bearer(buyer)), 200)
	for _, b := range bids {
		price := map[string]string{"123456789": "80", "555000111": "95"}[field2(b, "companyId").(string)]
		expect(t, s.do(t, "POST", "/tenders/"+id+"/bids/"+field2(b, "id").(string)+"/scores", `{"scores":[{"criterionId":"price","score":`+
			price+`,"reason":"against the estimate"},{"criterionId":"quality","score":80,"reason":"meets the specification"}]}`, bearer(buyer)), 200)
	}
	completeTasks(t, s, buyer, `{}`, `{"approved":true}`, `{}`)
	award := waitJSON(t, s, "/awards?tenderId="+id, nil, "the award's standstill over", func(v any) bool {
		l, _ := v.([]any)
		return len(l) == 1 && field2(l[0], "status") == "active"
	}).([]any)[0]
	if field2(award, "companyId") != initech.company || field2(award, "value") != "8700.00" {
		t.Fatalf("award: %v", award)
	}
	r := s.do(t, "POST", "/awards/"+field2(award, "id").(string)+"/contract", `{"periodStart":"2027-01-01","periodEnd":"2027-06-30",
	  "payeeKey":"msisdn","payeeValue":"37255501","milestones":[{"title":"Delivery","amount":"6000.00"},{"title":"Installation","amount":"2700.00"}]}`,
		bearer(buyer))
	expect(t, r, 201)
	contract := jsonMap(t, r)

	finance := financeOffice(t, s, id)
	for i, m := range contract["milestones"].([]any) {
		mid := field2(m, "id").(string)
		expect(t, s.do(t, "POST", "/contracts/"+contract["id"].(string)+"/milestones/"+mid+"/delivery", `{}`, bearer(buyer)), 200)
		if i == 0 { // killed between the delivery and the payment
			proc.kill(t)
			proc = proc.restart(t)
		}
		payMilestone(t, s, contract["id"].(string), i, mid, finance)
	}
	waitJSON(t, s, "/tenders/"+id, nil, "the tender closed", func(v any) bool { return field2(v, "status") == "complete" })

	// Nothing twice.
	if l, _ := s.do(t, "GET", "/awards?tenderId="+id, "", nil).json(t).([]any); len(l) != 1 {
		t.Errorf("%d awards", len(l))
	}
	if n := countRows(t, s.databaseURL(t, "payments"), "SELECT count(*) FROM batch"); n != 2 {
		t.Errorf("%d Payments batches for two milestones", n)
	}
	for _, who := range []supplier{contoso, initech} {
		s.mail.waitFor(t, 1, to(who.email, "Award decision"))
		for _, subject := range []string{"Bid received", "Award decision"} {
			if got := s.mail.find(to(who.email, subject)); len(got) != 1 {
				t.Errorf("%s got %d %q e-mails", who.email, len(got), subject)
			}
		}
	}
}

// procurementEnv is the environment govstack dev's settings c give procurement, for its binary listening on
// addr: the stack's database server, NATS, data folder (the seal key), IM and token keys, working day.
func procurementEnv(c devstack.Config, pgURL, addr string) []string {
	gw := "http://" + c.HTTPAddr
	return append(osEnv(), "GOVSTACK_DATABASE_URL="+pgURL, "GOVSTACK_NATS_URL="+c.NATSURL, "GOVSTACK_DATA_DIR="+c.DataDir,
		"GOVSTACK_GRPC_ADDR="+addr, "GOVSTACK_IM_GRPC_ADDR="+c.GRPCAddr, "GOVSTACK_IM_KEYS_URL="+gw+imassert.KeysPath,
		"GOVSTACK_JWKS_URL="+gw+"/.well-known/jwks.json", "GOVSTACK_TOKEN_ISSUER="+c.Registration.TokenIssuer,
		"GOVSTACK_PROCUREMENT_WORKING_DAY="+c.Procurement.WorkingDay.String(), "GOVSTACK_PROCUREMENT_PUBLIC_URL="+gw,
		"GOVSTACK_SHUTDOWN_TIMEOUT=5s", "GOVSTACK_LOG_LEVEL=warn")
}

// countRows runs a count query on one database of the stack.
func countRows(t *testing.T, dbURL, query string) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", strings.TrimSpace(query), err)
	}
	return n
}
