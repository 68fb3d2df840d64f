package registration_test

import (
	"context"
	"sync"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
)

const goodPassword = "plum-tractor-violin-42"

func TestBuyerRegistersActivatesAndSignsIn(t *testing.T) {
	bb := startBB(t)
	token := bb.registerBuyer(t, "Anna.Kask@MOJ.gov.example", goodPassword)
	claims := jwtClaims(t, token)
	roles, _ := claims["roles"].([]any)
	if len(roles) != 1 || roles[0] != "buyer" || claims["email"] != "Anna.Kask@moj.gov.example" ||
		claims["iss"] != "govstack-registration" || claims["sub"] == "" {
		t.Fatalf("claims = %v", claims)
	}
	if aud, _ := claims["aud"].([]any); len(aud) != 1 || aud[0] != "govstack" {
		t.Fatalf("aud = %v", claims["aud"])
	}
	if h := jwtHeader(t, token); h["alg"] != "EdDSA" || h["kid"] == "" {
		t.Fatalf("header = %v", h)
	}
	if n := len(bb.events(t, "govstack.registration.v1.account.activated")); n != 1 {
		t.Fatalf("%d account.activated events", n)
	}
	me, err := bb.accounts.GetMe(withToken(context.Background(), token), &registrationv1.GetMeRequest{})
	if err != nil {
		t.Fatalf("GetMe (needs platform/usertoken's Verify): %v", err)
	}
	if me.GetAccount().GetStatus() != "active" || me.GetAccount().GetEmail() != "Anna.Kask@moj.gov.example" {
		t.Fatalf("me = %v", me)
	}
}

func TestBuyerSubdomainOfApprovedDomain(t *testing.T) {
	bb := startBB(t)
	if _, err := bb.accounts.RegisterBuyer(context.Background(), &registrationv1.RegisterBuyerRequest{
		Email: "clerk@justice.gov.uk", Name: "Clerk", Organisation: "Ministry of Justice"}); err != nil {
		t.Fatal(err)
	}
}

func TestBuyerDuplicateRevealsNothing(t *testing.T) {
	bb := startBB(t)
	ctx := context.Background()
	req := &registrationv1.RegisterBuyerRequest{Email: "dup@moj.gov.example", Name: "Dup", Organisation: "Ministry of Justice"}
	first, err := bb.accounts.RegisterBuyer(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	second, err := bb.accounts.RegisterBuyer(ctx, &registrationv1.RegisterBuyerRequest{Email: "DUP@moj.gov.example", Name: "Other", Organisation: "Ministry of Justice"})
	if err != nil {
		t.Fatal(err)
	}
	// The answers differ only in the masked address's case and the expiry time.
	if first.GetAccepted().GetMessage() == "" || first.GetAccepted().GetLinkExpiresAt() == nil ||
		len(first.GetAccepted().GetMessage()) != len(second.GetAccepted().GetMessage()) {
		t.Fatalf("answers differ: %v / %v", first, second)
	}
	if n := bb.count(t, `SELECT count(*) FROM accounts WHERE lower(email) = 'dup@moj.gov.example'`); n != 1 {
		t.Fatalf("%d accounts", n)
	}
	ev := bb.lastEventFor(t, "govstack.registration.v1.account.registration_attempted", "email", "dup@moj.gov.example")
	linkToken(t, ev) // a fresh activation link for the pending account
	if n := len(bb.events(t, "govstack.registration.v1.account.registered")); n != 1 {
		t.Fatalf("%d account.registered events", n)
	}
	// Once active, a repeat registration e-mails a reset link instead.
	if _, err := bb.accounts.Activate(ctx, &registrationv1.ActivateRequest{Token: linkToken(t, ev), Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	third, err := bb.accounts.RegisterBuyer(ctx, req)
	if err != nil || !proto.Equal(&registrationv1.Accepted{Message: third.GetAccepted().GetMessage()},
		&registrationv1.Accepted{Message: first.GetAccepted().GetMessage()}) {
		t.Fatalf("third answer %v, %v", third, err)
	}
	evs := bb.events(t, "govstack.registration.v1.account.registration_attempted")
	if link, _ := evs[len(evs)-1]["link"].(string); len(link) < len(testPublicURL+"/reset-password?token=") ||
		link[:len(testPublicURL+"/reset-password")] != testPublicURL+"/reset-password" {
		t.Fatalf("link for an active account = %q", link)
	}
}

func TestBuyerPersonalDomainRefused(t *testing.T) {
	bb := startBB(t)
	_, err := bb.accounts.RegisterBuyer(context.Background(), &registrationv1.RegisterBuyerRequest{Email: "me@gmail.com", Name: "A Buyer", Organisation: "Ministry of Justice"})
	wantReason(t, err, codes.FailedPrecondition, "DOMAIN_NOT_APPROVED")
	_, err = bb.accounts.RegisterBuyer(context.Background(), &registrationv1.RegisterBuyerRequest{Email: "not an email", Name: "A Buyer", Organisation: "Ministry of Justice"})
	wantViolation(t, err, "email")
}

func TestBuyerRegistriesDown(t *testing.T) {
	bb := startBB(t)
	bb.stopRegistries()
	_, err := bb.accounts.RegisterBuyer(context.Background(), &registrationv1.RegisterBuyerRequest{Email: "x@moj.gov.example", Name: "A Buyer", Organisation: "Ministry of Justice"})
	wantReason(t, err, codes.Unavailable, "REGISTRY_UNAVAILABLE")
	if n := bb.count(t, `SELECT count(*) FROM accounts WHERE email = 'x@moj.gov.example'`) +
		bb.count(t, `SELECT count(*) FROM outbox`); n != 0 {
		t.Fatalf("%d rows written", n)
	}
}

// Eight people (or one impatient double-clicker) register the same address at once: one account, one
// account.registered, every caller the same answer.
func TestBuyerConcurrentDuplicates(t *testing.T) {
	bb := startBB(t)
	const n = 8
	answers := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := bb.accounts.RegisterBuyer(context.Background(),
				&registrationv1.RegisterBuyerRequest{Email: "rush@moj.gov.example", Name: "Rush", Organisation: "Ministry of Justice"})
			answers[i], errs[i] = r.GetAccepted().GetMessage(), err
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || answers[i] != answers[0] {
			t.Fatalf("caller %d: %q, %v (caller 0: %q)", i, answers[i], errs[i], answers[0])
		}
	}
	if c := bb.count(t, `SELECT count(*) FROM accounts WHERE lower(email) = 'rush@moj.gov.example'`); c != 1 {
		t.Fatalf("%d accounts", c)
	}
	if c := len(bb.events(t, "govstack.registration.v1.account.registered")); c != 1 {
		t.Fatalf("%d account.registered events", c)
	}
	if c := len(bb.events(t, "govstack.registration.v1.account.registration_attempted")); c != n-1 {
		t.Fatalf("%d registration_attempted events, want %d", c, n-1)
	}
}
