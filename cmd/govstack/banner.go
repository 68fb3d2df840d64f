package main

import (
	"fmt"
	"io"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
)

// printBanner tells a newcomer where everything is and gives a first request that works as it stands.
func printBanner(w io.Writer, s *devstack.Stack) {
	u := s.URL()
	from := time.Now().UTC().Truncate(time.Hour).Add(time.Hour)
	fmt.Fprintf(w, `
GovStack building blocks are running (govstack dev).

  REST gateway        %[1]s
  API docs            %[1]s/docs        (OpenAPI: %[1]s/openapi/registries.json)
  health / readiness  %[1]s/healthz  %[1]s/readyz
  metrics             %[1]s/metrics
`, u)
	if su := s.StandaloneURL("registries"); su != "" {
		fmt.Fprintf(w, "  registries alone    %s\n", su)
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

Register as a public-sector buyer (Registration): an activation e-mail goes out through Messaging
(GOVSTACK_MESSAGING_SMTP_ADDR); open its link, set a password, then sign in for an access token:

  curl -s -X POST %[1]s/accounts/buyers -H 'Content-Type: application/json' \
    -d '{"email":"jane.doe@moj.gov.example","name":"Jane Doe","organisation":"Ministry of Justice"}'
  curl -s -X POST %[1]s/auth/token -H 'Content-Type: application/json' \
    -d '{"email":"jane.doe@moj.gov.example","password":"<the password you set>"}'
  curl -s %[1]s/services        (the GovStack e-services; the administrator signs in as %[4]s)

The gateway runs in development mode: identity headers are trusted without credentials (docs/im-operator-guide.md).
Press Ctrl+C to stop.
`, u, from.Format(time.RFC3339), from.Add(14*24*time.Hour).Format(time.RFC3339), s.AdminEmail())
}
