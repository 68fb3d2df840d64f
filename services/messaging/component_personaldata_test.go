package messaging_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"

	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/testkit"
	"github.com/govstackbb/marketplace/platform/usertoken"
	messagingv1 "github.com/govstackbb/marketplace/proto/govstack/messaging/v1"
	"github.com/govstackbb/marketplace/services/messaging"
)

// backOffice is an authorised call of an IM client that the IM vouches holds the personal-data right on
// this service (the tests stand in for the IM).
func backOffice() context.Context {
	return imident.WithPersonalDataRight(authed())
}

// issuer signs user tokens as the Registration BB does; keys is the JWKS it publishes.
type issuer struct {
	t    testing.TB
	key  ed25519.PrivateKey
	keys usertoken.KeySource
}

func newIssuer(t testing.TB) issuer {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	jwks, err := usertoken.JWKS(map[string]ed25519.PublicKey{"k1": pub})
	if err != nil {
		t.Fatal(err)
	}
	return issuer{t: t, key: key, keys: func(context.Context) ([]byte, error) { return jwks, nil }}
}

// token is an access token of the account with e-mail address email and roles, valid for an hour.
func (is issuer) token(email string, roles ...string) string {
	is.t.Helper()
	tok, err := usertoken.Sign(is.key, "k1", usertoken.Claims{Subject: "acc-" + email, Email: email, Roles: roles,
		Issuer: "govstack-registration"}, time.Hour)
	if err != nil {
		is.t.Fatal(err)
	}
	return tok
}

// withToken is ctx carrying token as the gateway forwards it.
func withToken(ctx context.Context, token string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
}

// wantReason asserts err's gRPC code and its ErrorInfo reason.
func wantReason(t *testing.T, err error, code codes.Code, reason string) {
	t.Helper()
	st := testkit.WantCode(t, err, code)
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok && info.GetReason() == reason {
			return
		}
	}
	t.Fatalf("%v carries no ErrorInfo reason %s", err, reason)
}

const (
	signInRequired   = "GOVSTACK_MESSAGING_SIGN_IN_REQUIRED"
	permissionDenied = "GOVSTACK_MESSAGING_PERMISSION_DENIED"
)

func optOut(addr string) *messagingv1.AddOptOutRequest {
	return &messagingv1.AddOptOutRequest{Channel: messagingv1.Channel_CHANNEL_EMAIL, Address: addr}
}

func removeOptOut(addr string) *messagingv1.RemoveOptOutRequest {
	return &messagingv1.RemoveOptOutRequest{Channel: messagingv1.Channel_CHANNEL_EMAIL, Address: addr}
}

// optOuts lists the opt-out list's addresses as ctx's caller sees them, comma-separated.
func (e *env) optOuts(ctx context.Context) string {
	e.t.Helper()
	r, err := e.op.ListOptOuts(ctx, &messagingv1.ListOptOutsRequest{})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, o := range r.GetOptOuts() {
		out = append(out, o.GetAddress())
	}
	return strings.Join(out, ",")
}

// TestPersonalDataNeedsAStaffTokenOrTheRight is the matrix of issue 11 §4 for Messaging: the dead letters
// and the opt-out list show people's addresses, so an apiKey alone (any IM client the operator gave a key)
// does not reach them; a staff or admin token, or the IM's personal-data right, does; a signed-in person
// manages only their own address. The send API and the templates keep needing the apiKey alone.
func TestPersonalDataNeedsAStaffTokenOrTheRight(t *testing.T) {
	t.Parallel()
	is := newIssuer(t)
	e := start(t, func(_ *messaging.Config, d *messaging.Deps) { d.TokenKeys = is.keys })
	if _, err := e.op.AddOptOut(backOffice(), optOut("quiet@example.org")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.msg.SendEmailSingle(authed(), single("tempfail@example.org", "T")); err != nil {
		t.Fatal(err)
	}
	var deadLetter string
	testkit.Eventually(t, 10*time.Second, "a dead letter", func() error {
		dl, err := e.op.ListDeadLetters(backOffice(), &messagingv1.ListDeadLettersRequest{})
		if err != nil || len(dl.GetMessages()) != 1 {
			return fmt.Errorf("%v %v", dl, err)
		}
		deadLetter = dl.GetMessages()[0].GetId()
		return nil
	})

	t.Run("an IM client with an apiKey only is told to sign in", func(t *testing.T) {
		_, err := e.op.ListDeadLetters(authed(), &messagingv1.ListDeadLettersRequest{})
		wantReason(t, err, codes.Unauthenticated, signInRequired)
		_, err = e.op.RetryMessage(authed(), &messagingv1.RetryMessageRequest{Id: deadLetter})
		wantReason(t, err, codes.Unauthenticated, signInRequired)
		_, err = e.op.ListOptOuts(authed(), &messagingv1.ListOptOutsRequest{})
		st := testkit.WantCode(t, err, codes.Unauthenticated)
		if !strings.Contains(st.Message(), "personal-data right") || !strings.Contains(st.Message(), "staff or admin") {
			t.Errorf("the refusal does not say what to do: %q", st.Message())
		}
		_, err = e.op.AddOptOut(authed(), optOut("someone@example.org"))
		wantReason(t, err, codes.Unauthenticated, signInRequired)
		_, err = e.op.RemoveOptOut(authed(), removeOptOut("quiet@example.org"))
		wantReason(t, err, codes.Unauthenticated, signInRequired)
		// Refused before the address is looked at: nothing about the input (or the list) is revealed.
		_, err = e.op.RemoveOptOut(authed(), removeOptOut("not an address"))
		wantReason(t, err, codes.Unauthenticated, signInRequired)
		// What holds no personal data still needs the apiKey only.
		if _, err := e.op.ListTemplates(authed(), &messagingv1.ListTemplatesRequest{}); err != nil {
			t.Error(err)
		}
	})

	t.Run("staff, admins and the personal-data right see and change everything", func(t *testing.T) {
		for name, ctx := range map[string]context.Context{
			"staff":               withToken(authed(), is.token("desk@hospital.example.org", usertoken.RoleStaff)),
			"admin":               withToken(authed(), is.token("admin@govstack.example.org", usertoken.RoleAdmin)),
			"personal-data right": backOffice(),
		} {
			if got := e.optOuts(ctx); got != "quiet@example.org" {
				t.Errorf("%s lists %q", name, got)
			}
			if dl, err := e.op.ListDeadLetters(ctx, &messagingv1.ListDeadLettersRequest{}); err != nil || len(dl.GetMessages()) != 1 {
				t.Errorf("%s: dead letters %v %v", name, dl, err)
			}
			if _, err := e.op.AddOptOut(ctx, optOut("other@example.org")); err != nil {
				t.Errorf("%s adds: %v", name, err)
			}
			if _, err := e.op.RemoveOptOut(ctx, removeOptOut("other@example.org")); err != nil {
				t.Errorf("%s removes: %v", name, err)
			}
		}
		// Retry acts on the person's message: the right covers it (it is requeued and fails again).
		if _, err := e.op.RetryMessage(backOffice(), &messagingv1.RetryMessageRequest{Id: deadLetter}); err != nil {
			t.Error(err)
		}
	})

	t.Run("a signed-in person manages only their own address", func(t *testing.T) {
		mari := withToken(authed(), is.token("Mari@Example.org", usertoken.RoleCitizen))
		if got := e.optOuts(mari); got != "" {
			t.Errorf("before opting out Mari sees %q", got)
		}
		if _, err := e.op.AddOptOut(mari, optOut("Mari@example.org")); err != nil {
			t.Fatal(err)
		}
		if got := e.optOuts(mari); got != "Mari@example.org" {
			t.Errorf("Mari sees %q, want only her own entry", got)
		}
		_, err := e.op.AddOptOut(mari, optOut("quiet@example.org"))
		wantReason(t, err, codes.PermissionDenied, permissionDenied)
		_, err = e.op.RemoveOptOut(mari, removeOptOut("quiet@example.org"))
		wantReason(t, err, codes.PermissionDenied, permissionDenied)
		_, err = e.op.AddOptOut(mari, &messagingv1.AddOptOutRequest{Channel: messagingv1.Channel_CHANNEL_SMS, Address: "+3725551234"})
		wantReason(t, err, codes.PermissionDenied, permissionDenied)
		_, err = e.op.ListDeadLetters(mari, &messagingv1.ListDeadLettersRequest{})
		wantReason(t, err, codes.PermissionDenied, permissionDenied)
		if _, err := e.op.RemoveOptOut(mari, removeOptOut("Mari@example.org")); err != nil {
			t.Fatal(err)
		}
		if got := e.optOuts(backOffice()); got != "quiet@example.org" {
			t.Errorf("after Mari's changes the list is %q", got)
		}
	})

	t.Run("the apiKey comes first, then the token", func(t *testing.T) {
		staff := is.token("desk@hospital.example.org", usertoken.RoleStaff)
		_, err := e.op.ListOptOuts(withToken(context.Background(), staff), &messagingv1.ListOptOutsRequest{})
		if st := testkit.WantCode(t, err, codes.Unauthenticated); !strings.Contains(st.Message(), "apiKey") {
			t.Errorf("a staff token without the apiKey: %q", st.Message())
		}
		_, err = e.op.ListOptOuts(withToken(authed(), "not-a-token"), &messagingv1.ListOptOutsRequest{})
		if st := testkit.WantCode(t, err, codes.Unauthenticated); st.Message() != usertoken.InvalidMessage {
			t.Errorf("a bad token: %q", st.Message())
		}
	})

	t.Run("the send API stays authorised by its apiKey", func(t *testing.T) {
		r, err := e.msg.SendEmailSingle(authed(), single("reader@example.org", "Hi"))
		if err != nil {
			t.Fatal(err)
		}
		if st := e.status(r.GetRequestUid()); len(st.GetMessages()) != 1 || st.GetMessages()[0].GetRecipient() != "reader@example.org" {
			t.Errorf("the sender's own status: %v", st)
		}
	})
}

// A BB that cannot verify user tokens (no GOVSTACK_JWKS_URL) refuses a token on a personal-data call instead
// of running it as a call without one, and says why; sends carrying a token (a portal forwarding its user's)
// are not affected.
func TestPersonalDataTokenWithoutKeys(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	tok := newIssuer(t).token("desk@hospital.example.org", usertoken.RoleStaff)
	_, err := e.op.ListOptOuts(withToken(authed(), tok), &messagingv1.ListOptOutsRequest{})
	if st := testkit.WantCode(t, err, codes.Unauthenticated); !strings.Contains(st.Message(), "GOVSTACK_JWKS_URL") {
		t.Errorf("message %q does not name the setting", st.Message())
	}
	if _, err := e.msg.SendEmailSingle(withToken(authed(), tok), single("portal@example.org", "Hi")); err != nil {
		t.Errorf("a send carrying a token: %v", err)
	}
	if _, err := e.op.ListOptOuts(backOffice(), &messagingv1.ListOptOutsRequest{}); err != nil {
		t.Errorf("the personal-data right without a token: %v", err)
	}
}
