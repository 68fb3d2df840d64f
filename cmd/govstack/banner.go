package main

import (
	"fmt"
	"io"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
)

// stackInfo is what the banner tells about a running stack.
type stackInfo interface {
	URL() string
	PortalURL() string
	StandaloneURL(bb string) string
	AdminEmail() string
	DevMode() bool
}

// printBanner tells a newcomer where everything is and gives a first request that works as it stands: the
// identity header alone in development mode, a key and a right first out of it.
// mailbox is the development mailbox's URL ("" when e-mail goes to the developer's own SMTP server).
func printBanner(w io.Writer, s stackInfo, postgres, mailbox string) {
	u := s.URL()
	from := time.Now().UTC().Truncate(time.Hour).Add(time.Hour)
	fmt.Fprintf(w, `
GovStack building blocks are running (govstack dev).

  Portal              %[3]s        (open it in a browser: book a doctor, register as a buyer or supplier)
  REST gateway        %[1]s
  API docs            %[1]s/docs        (OpenAPI 3 and swagger 2.0 documents: %[1]s/openapi)
  health / readiness  %[1]s/healthz  %[1]s/readyz
  metrics             %[1]s/metrics
  PostgreSQL          %[2]s
`, u, postgres, s.PortalURL())
	if mailbox != "" {
		fmt.Fprintf(w, "  E-mail              %s        (every e-mail the stack sends: activation and reset links)\n", mailbox)
	} else {
		fmt.Fprintf(w, "  E-mail              to GOVSTACK_MESSAGING_SMTP_ADDR\n")
	}
	if su := s.StandaloneURL("registries"); su != "" {
		fmt.Fprintf(w, "  registries alone    %s\n", su)
	}
	if !s.DevMode() {
		printProductionBanner(w, u)
		return
	}
	fmt.Fprintf(w, `
Try it — list the approved public-sector e-mail domains, then create and read a citizen:

  curl -s -H 'Information-Mediator-Client: eGovStack/GOV/90000009/digitalregistries' \
    %[1]s/data/public-sector-domains/1.0

  curl -s -X POST -H 'Information-Mediator-Client: eGovStack/GOV/90000009/digitalregistries' \
    -H 'Content-Type: application/json' %[1]s/data/citizens/1.0/create \
    -d '{"write":{"content":{"personalCode":"EE38001010001","firstName":"Mari","lastName":"Maasikas","birthDate":"1980-01-01","email":"mari@example.org"}}}'

  curl -s -X POST -H 'Information-Mediator-Client: eGovStack/GOV/90000009/digitalregistries' \
    -H 'Content-Type: application/json' %[1]s/data/citizens/1.0/read \
    -d '{"query":{"content":{"personalCode":"EE38001010001"}}}'

Find a free cardiology slot (Scheduling), see who is in the IM's directory, send an e-mail (Messaging):

  curl -s '%[1]s/resource/free_slots?entity_id=hosp-north-tallinn&specialty=cardiology&from=%[2]s&to=%[3]s'
  curl -s %[1]s/listClients
  curl -s -X POST %[1]s/send/email/single -H 'apiKey: govstack-dev-messaging-key' -H 'Content-Type: application/json' \
    -d '{"recipientInfo":{"email":"mari@example.org"},"emailContent":{"title":"Hello","content":"It works."}}'

Register as a public-sector buyer (Registration): an activation e-mail goes out through Messaging (read it
where the E-mail line above says); open its link, set a password, then sign in for an access token:

  curl -s -X POST %[1]s/accounts/buyers -H 'Content-Type: application/json' \
    -d '{"email":"jane.doe@moj.gov.example","name":"Jane Doe","organisation":"Ministry of Justice"}'
  curl -s -X POST %[1]s/auth/token -H 'Content-Type: application/json' \
    -d '{"email":"jane.doe@moj.gov.example","password":"<the password you set>"}'
  curl -s %[1]s/services        (the GovStack e-services; the administrator signs in as %[4]s)

Workflow — the shipped BPMN processes, start one (one instance per Idempotency-Key), the dashboard summary:

  curl -s %[1]s/processes
  curl -s -X POST %[1]s/processes/probation-case/start -H 'Idempotency-Key: case-1' -H 'Content-Type: application/json' -d '{}'
  curl -s %[1]s/workflow/status

Payments — fund a payer's account on the ledger and read it back (a batch: services/payments/README.md):

  curl -s -X POST %[1]s/ledger/funding -H 'Information-Mediator-Client: eGovStack/GOV/90000009/treasury' \
    -H 'X-CorrelationID: fund-1' -H 'Content-Type: application/json' -d '{"code":"funding:treasury","currency":"EUR","amount":"1000.00"}'
  curl -s '%[1]s/ledger/account?code=funding:treasury&currency=EUR' -H 'Information-Mediator-Client: eGovStack/GOV/90000009/treasury'

Procurement — tenders as open contracting data (OCDS 1.1.5) and the integrity red flags
(the whole journey from draft to payment: services/procurement/README.md):

  curl -s %[1]s/ocds/releasePackages
  curl -s %[1]s/reports/tendersByStage
  curl -s %[1]s/reports/redFlags
`, u, from.Format(time.RFC3339), from.Add(14*24*time.Hour).Format(time.RFC3339), s.AdminEmail())
	printDemoProcurement(w, u)
	fmt.Fprint(w, `
The gateway runs in development mode: identity headers are trusted without credentials (docs/im-operator-guide.md).
Press Ctrl+C to stop.
`)
}

// printDemoProcurement lists the demo buyers, suppliers and tenders the seed makes (GOVSTACK_DEV_SEED).
func printDemoProcurement(w io.Writer, u string) {
	fmt.Fprintf(w, "\nDemo procurement (being seeded through the API; the later stages take about a minute) — every\n"+
		"account's password is %s:\n\n", devstack.DemoPassword)
	for _, a := range devstack.DemoBuyers {
		fmt.Fprintf(w, "  buyer     %-36s %s\n", a.Email, a.Organisation)
	}
	for _, a := range devstack.DemoSuppliers {
		fmt.Fprintf(w, "  supplier  %-36s %s (company %s)\n", a.Email, a.Organisation, a.CompanyID)
	}
	fmt.Fprintln(w)
	for _, t := range devstack.DemoTenders() {
		fmt.Fprintf(w, "  %s (buyer %s)\n      %s\n", t.Title, devstack.DemoBuyers[t.Buyer].Email, t.Stage)
	}
	fmt.Fprintf(w, `
Sign in to the portal as any of them. Tender periods count working days, Monday to Friday: for a demo that runs
in minutes, start with GOVSTACK_PROCUREMENT_WORKING_DAY=30s (a working day then lasts 30 seconds).

  curl -s %[1]s/tenders
  curl -s -X POST %[1]s/auth/token -H 'Content-Type: application/json' \
    -d '{"email":"%[2]s","password":"%[3]s"}'
`, u, devstack.DemoBuyers[0].Email, devstack.DemoPassword)
}

// printProductionBanner gives the commands of the operator guide that lead to a first request when the
// gateway demands credentials and rights (GOVSTACK_GATEWAY_DEV_MODE=false).
func printProductionBanner(w io.Writer, u string) {
	fmt.Fprintf(w, `
The gateway runs in production mode (GOVSTACK_GATEWAY_DEV_MODE=false): an identity header is only a claim,
every client proves it with an API key or a client certificate, and every call needs an access right.
A first request, from another terminal in this folder (docs/im-operator-guide.md explains each step):

  # an IM admin and its key (printed once)
  go run ./cmd/govstack admin-key GOVSTACK/GOV/ADMIN/console
  export KEY=gsim_…
  alias im='curl -sS -H "X-GovStack-Client: GOVSTACK/GOV/ADMIN/console" -H "X-GovStack-Api-Key: $KEY" -H "Content-Type: application/json"'

  # register a client, issue it a key, and let it read the Digital Registries
  im -X PUT %[1]s/api/v1/clients/GOVSTACK:GOV:70000001:portal -d '{"memberName": "Ministry of Interior"}'
  im -X POST %[1]s/api/v1/clients/GOVSTACK:GOV:70000001:portal/apikeys
  export PORTAL_KEY=gsim_…
  im -X PATCH %[1]s/api/v1/rights/allow -d '[{"memberClass": "GOV", "memberCode": "GOVSTACK",
    "applicationId": "registries", "serviceId": "registries",
    "rights": [{"memberClass": "GOV", "memberCode": "70000001", "applicationId": "portal",
    "endpoints": ["/govstack.registries.v1.RegistriesService/ListRecords"]}]}]'

  # as that client
  curl -s -H 'X-GovStack-Client: GOVSTACK/GOV/70000001/portal' -H "X-GovStack-Api-Key: $PORTAL_KEY" \
    %[1]s/data/public-sector-domains/1.0

The portal has its own IM key in this stack, but no rights yet: grant GOVSTACK/GOV/GOVSTACK/portal the
registration and scheduling services as web/README.md ("Rights") shows, or its pages say "unavailable".

Press Ctrl+C to stop.
`, u)
}
