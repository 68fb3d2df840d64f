package scheduling_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/testkit"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/govstackbb/marketplace/platform/usertoken"
	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling"
)

// issuer signs user tokens as the Registration BB does; keys is the JWKS it publishes.
type issuer struct {
	t    testing.TB
	key  ed25519.PrivateKey
	kid  string
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
	return issuer{t: t, key: key, kid: "k1", keys: func(context.Context) ([]byte, error) { return jwks, nil }}
}

// token is an access token of account sub with roles, valid for an hour from now (wall clock: tokens are
// checked against it, not against the BB's test clock).
func (is issuer) token(sub string, roles ...string) string {
	is.t.Helper()
	return is.sign(usertoken.Claims{Subject: sub, Roles: roles}, time.Hour)
}

func (is issuer) sign(c usertoken.Claims, ttl time.Duration) string {
	is.t.Helper()
	if c.Issuer == "" {
		c.Issuer = scheduling.DefaultTokenIssuer
	}
	c.Name, c.Email = "Account "+c.Subject, c.Subject+"@example.org"
	tok, err := usertoken.Sign(is.key, is.kid, c, ttl)
	if err != nil {
		is.t.Fatal(err)
	}
	return tok
}

// as is ctx of a call carrying token as the gateway forwards it.
func as(token string) context.Context {
	return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+token)
}

const permissionDenied = "GOVSTACK_SCHEDULING_PERMISSION_DENIED"

// TestCitizenSeesAndChangesOnlyOwnAppointments: citizen A books; citizen B can neither see, cancel,
// reschedule nor check in A's appointment (404, exactly as for an id that does not exist) nor book for A;
// staff and calls without a token see both.
func TestCitizenSeesAndChangesOnlyOwnAppointments(t *testing.T) {
	is := newIssuer(t)
	e := startWith(t, is.keys)
	alice, bob := as(is.token("acct-alice", usertoken.RoleCitizen)), as(is.token("acct-bob", usertoken.RoleCitizen))
	staff := as(is.token("acct-nurse", usertoken.RoleCitizen, usertoken.RoleStaff))

	// Alice books with no subscriber at all: she is the subscriber, with her account's name and e-mail.
	ra, err := e.booking.BookAppointment(alice, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-kask", StartTime: tallinn(t, 2027, 3, 29, 10, 0)})
	if err != nil {
		t.Fatal(err)
	}
	a := ra.GetAppointment()
	if a.GetSubscriberId() != "acct-alice" {
		t.Fatalf("alice's booking is for %q", a.GetSubscriberId())
	}
	rb, err := e.booking.BookAppointment(bob, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-kask",
		StartTime: tallinn(t, 2027, 3, 29, 11, 0), Subscriber: citizen("acct-bob")})
	if err != nil {
		t.Fatal(err)
	}
	b := rb.GetAppointment()

	// Bob cannot book for Alice, on either API.
	_, err = e.booking.BookAppointment(bob, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-kask",
		StartTime: tallinn(t, 2027, 3, 29, 12, 0), Subscriber: citizen("acct-alice")})
	testkit.WantReason(t, err, codes.PermissionDenied, permissionDenied)
	if st := testkit.WantCode(t, err, codes.PermissionDenied); st.Message() != "a citizen can book only for themselves" {
		t.Errorf("message %q", st.Message())
	}
	_, err = e.crud.CreateAppointmentRecord(bob, &schedulingv1.CreateAppointmentRecordRequest{AppointmentDetails: &schedulingv1.AppointmentDetails{
		ParticipantId: "acct-alice", ResourceId: "doc-kask", StartTime: tallinn(t, 2027, 3, 29, 12, 0)}})
	testkit.WantReason(t, err, codes.PermissionDenied, permissionDenied)

	// Bob's lists hold only his appointment, whatever he filters by.
	for _, q := range []*schedulingv1.ListAppointmentsRequest{{}, {ParticipantId: "acct-alice"}, {AppointmentId: a.GetAppointmentId()}, {ResourceId: "doc-kask"}} {
		got, err := e.booking.ListAppointments(bob, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range got.GetAppointments() {
			if x.GetSubscriberId() != "acct-bob" {
				t.Errorf("bob's list %v shows %v", q, x)
			}
		}
	}
	if got, _ := e.booking.ListAppointments(bob, &schedulingv1.ListAppointmentsRequest{}); len(got.GetAppointments()) != 1 || got.GetAppointments()[0].GetAppointmentId() != b.GetAppointmentId() {
		t.Errorf("bob's appointments = %v", got)
	}

	// Bob acting on Alice's appointment is told exactly what an unknown id gets.
	_, err = e.booking.CancelAppointment(bob, &schedulingv1.CancelAppointmentRequest{AppointmentId: uuid.NewString()})
	unknown := testkit.WantCode(t, err, codes.NotFound).Message()
	for name, call := range map[string]func() error{
		"cancel": func() error {
			_, err := e.booking.CancelAppointment(bob, &schedulingv1.CancelAppointmentRequest{AppointmentId: a.GetAppointmentId()})
			return err
		},
		"reschedule": func() error {
			_, err := e.booking.RescheduleAppointment(bob, &schedulingv1.RescheduleAppointmentRequest{AppointmentId: a.GetAppointmentId(), StartTime: tallinn(t, 2027, 3, 29, 13, 0)})
			return err
		},
		"check in": func() error {
			_, err := e.booking.CheckInAppointment(bob, &schedulingv1.CheckInAppointmentRequest{AppointmentId: a.GetAppointmentId(),
				SubscriberId: "acct-alice", BookingCode: a.GetBookingCode()})
			return err
		},
		"GovStack modify": func() error {
			_, err := e.crud.ModifyAppointmentRecord(bob, &schedulingv1.ModifyAppointmentRecordRequest{AppointmentId: a.GetAppointmentId(),
				Details: &schedulingv1.AppointmentDetails{Status: "cancelled"}})
			return err
		},
		"GovStack delete": func() error {
			_, err := e.crud.DeleteAppointmentRecord(bob, &schedulingv1.DeleteAppointmentRecordRequest{AppointmentId: a.GetAppointmentId()})
			return err
		},
	} {
		if st := testkit.WantCode(t, call(), codes.NotFound); st.Message() != unknown {
			t.Errorf("%s: %q, an unknown id gets %q", name, st.Message(), unknown)
		}
	}

	// Staff (a citizen role does not make them one) and a back office (an IM client with the personal-data
	// right) see both, unchanged.
	for who, ctx := range map[string]context.Context{"staff": staff, "back office": context.Background()} {
		got, err := e.booking.ListAppointments(ctx, &schedulingv1.ListAppointmentsRequest{ResourceId: "doc-kask", To: tallinn(t, 2027, 3, 29, 12, 0)})
		if err != nil || len(got.GetAppointments()) != 2 {
			t.Fatalf("%s sees %v, %v", who, got, err)
		}
		for _, x := range got.GetAppointments() {
			if x.GetStatus() != schedulingv1.AppointmentStatus_APPOINTMENT_STATUS_BOOKED {
				t.Errorf("%v changed", x)
			}
		}
	}
	subs, err := e.crud.ListSubscribers(bob, &schedulingv1.ListSubscribersRequest{})
	if err != nil || len(subs.GetSubscribers()) != 1 || subs.GetSubscribers()[0].GetSubscriberId() != "acct-bob" {
		t.Errorf("bob's subscribers = %v, %v", subs, err)
	}
	if subs, _ := e.crud.ListSubscribers(bob, &schedulingv1.ListSubscribersRequest{SubscriberId: []string{"acct-alice"}}); len(subs.GetSubscribers()) != 0 {
		t.Errorf("bob reads alice's record: %v", subs)
	}
	_, err = e.crud.ModifySubscriber(bob, &schedulingv1.ModifySubscriberRequest{SubscriberId: "acct-alice", Details: &schedulingv1.Subscriber{Phone: "+1"}})
	testkit.WantCode(t, err, codes.NotFound)
	_, err = e.crud.CreateSubscriber(bob, &schedulingv1.CreateSubscriberRequest{SubscriberDetails: citizen("acct-carol")})
	testkit.WantReason(t, err, codes.PermissionDenied, permissionDenied)
	// GovStack's appointment/new without a participant books Bob with his stored details.
	rec, err := e.crud.CreateAppointmentRecord(bob, &schedulingv1.CreateAppointmentRecordRequest{AppointmentDetails: &schedulingv1.AppointmentDetails{
		ResourceId: "doc-kask", StartTime: tallinn(t, 2027, 3, 29, 14, 0)}})
	if err != nil || rec.GetAppointment().GetParticipantId() != "acct-bob" {
		t.Fatalf("bob's GovStack booking = %v, %v", rec, err)
	}

	// Alice manages her own appointment.
	if _, err := e.booking.RescheduleAppointment(alice, &schedulingv1.RescheduleAppointmentRequest{AppointmentId: a.GetAppointmentId(), StartTime: tallinn(t, 2027, 3, 29, 13, 0)}); err != nil {
		t.Fatalf("alice reschedules: %v", err)
	}
	if _, err := e.booking.CancelAppointment(alice, &schedulingv1.CancelAppointmentRequest{AppointmentId: a.GetAppointmentId()}); err != nil {
		t.Fatalf("alice cancels: %v", err)
	}
}

// TestCitizenCannotChangeTheDirectory: GovStack CRUD writes on entities, resources, affiliations, leave,
// alert schedules and deadlines are 403 for a citizen, while slots, availability and the directory stay
// readable; alert schedules (other people's contacts) are not listed to a citizen.
func TestCitizenCannotChangeTheDirectory(t *testing.T) {
	is := newIssuer(t)
	e := startWith(t, is.keys)
	bob, admin := as(is.token("acct-bob", usertoken.RoleCitizen)), as(is.token("acct-root", usertoken.RoleAdmin))
	alert := &schedulingv1.AlertSchedule{AlertDatetime: "2027-03-30T08:00:00Z", Recipients: []*schedulingv1.Recipient{{Email: "x@example.org"}}}
	writes := map[string]func(context.Context) error{
		"entity": func(ctx context.Context) error {
			_, err := e.crud.CreateEntity(ctx, &schedulingv1.CreateEntityRequest{Details: &schedulingv1.Entity{Name: "Bob's clinic"}})
			return err
		},
		"resource": func(ctx context.Context) error {
			_, err := e.crud.ModifyResource(ctx, &schedulingv1.ModifyResourceRequest{ResourceId: "doc-kask", Details: &schedulingv1.Resource{Name: "Dr. Bob"}})
			return err
		},
		"affiliation": func(ctx context.Context) error {
			_, err := e.crud.CreateAffiliation(ctx, &schedulingv1.CreateAffiliationRequest{AffiliationDetails: &schedulingv1.Affiliation{
				ResourceId: "doc-kask", EntityId: "hosp-tartu-university"}})
			return err
		},
		"exception": func(ctx context.Context) error {
			_, err := e.directory.AddResourceException(ctx, &schedulingv1.AddResourceExceptionRequest{ResourceId: "doc-kask",
				From: "2027-03-29T00:00:00Z", To: "2027-03-30T00:00:00Z"})
			return err
		},
		"alert schedule": func(ctx context.Context) error {
			_, err := e.crud.CreateAlertSchedule(ctx, &schedulingv1.CreateAlertScheduleRequest{AlertScheduleDetails: alert})
			return err
		},
		"deadline": func(ctx context.Context) error {
			_, err := e.deadlines.SetDeadline(ctx, &schedulingv1.SetDeadlineRequest{Subject: "x", DueAt: timestamppb.New(testNow.Add(time.Hour))})
			return err
		},
		"delete entity": func(ctx context.Context) error {
			_, err := e.crud.DeleteEntity(ctx, &schedulingv1.DeleteEntityRequest{EntityId: "hosp-tartu-university"})
			return err
		},
	}
	for name, write := range writes {
		testkit.WantReason(t, write(bob), codes.PermissionDenied, permissionDenied)
		if name != "delete entity" { // the admin would really delete it
			if err := write(admin); err != nil {
				t.Errorf("admin %s: %v", name, err)
			}
		}
	}
	if got, err := e.crud.ListAlertSchedules(admin, &schedulingv1.ListAlertSchedulesRequest{}); err != nil || len(got.GetAlertSchedules()) != 1 {
		t.Fatalf("admin's alert schedules = %v, %v", got, err)
	}
	if got, err := e.crud.ListAlertSchedules(bob, &schedulingv1.ListAlertSchedulesRequest{}); err != nil || len(got.GetAlertSchedules()) != 0 {
		t.Errorf("bob's alert schedules = %v, %v", got, err)
	}
	slots, err := e.booking.ListFreeSlots(bob, &schedulingv1.ListFreeSlotsRequest{ResourceId: "doc-saar", From: "2027-03-29T00:00:00Z", To: "2027-03-30T00:00:00Z"})
	if err != nil || len(slots.GetSlots()) == 0 {
		t.Errorf("free slots for a citizen = %v, %v", slots, err)
	}
	av, err := e.booking.GetAvailability(bob, &schedulingv1.GetAvailabilityRequest{EntityId: "hosp-north-tallinn", From: "2027-03-29T00:00:00Z", To: "2027-03-30T00:00:00Z"})
	if err != nil || len(av.GetResources()) == 0 {
		t.Errorf("availability for a citizen = %v, %v", av, err)
	}
	if ents, err := e.directory.ListEntities(bob, &schedulingv1.ListEntitiesRequest{}); err != nil || len(ents.GetEntities()) == 0 {
		t.Errorf("entities for a citizen = %v, %v", ents, err)
	}
}

// TestBadTokensAreUnauthenticated: an expired, forged, foreign-issuer or malformed token is refused before
// any handler runs.
func TestBadTokensAreUnauthenticated(t *testing.T) {
	is := newIssuer(t)
	e := startWith(t, is.keys)
	forger := newIssuer(t) // same kid, another key
	for name, tok := range map[string]string{
		"expired": is.sign(usertoken.Claims{Subject: "acct-alice", Roles: []string{usertoken.RoleStaff},
			IssuedAt: time.Now().Add(-2 * time.Hour)}, time.Hour),
		"forged":         forger.token("acct-alice", usertoken.RoleStaff),
		"foreign issuer": is.sign(usertoken.Claims{Subject: "acct-alice", Roles: []string{usertoken.RoleStaff}, Issuer: "someone-else"}, time.Hour),
		"malformed":      "not.a.token",
	} {
		_, err := e.booking.ListAppointments(as(tok), &schedulingv1.ListAppointmentsRequest{})
		if st := testkit.WantCode(t, err, codes.Unauthenticated); st.Message() != usertoken.InvalidMessage {
			t.Errorf("%s: %q", name, st.Message())
		}
	}
}

// TestTokenWithoutKeysIsRefused: a BB without GOVSTACK_JWKS_URL cannot verify a token and refuses the call
// rather than trusting it; calls without a token work as before.
func TestTokenWithoutKeysIsRefused(t *testing.T) {
	e := start(t)
	tok := newIssuer(t).token("acct-alice", usertoken.RoleCitizen)
	_, err := e.booking.ListAppointments(as(tok), &schedulingv1.ListAppointmentsRequest{})
	if st := testkit.WantCode(t, err, codes.Unauthenticated); st.Message() != "this Scheduling BB is not configured to verify user tokens (GOVSTACK_JWKS_URL)" {
		t.Errorf("message %q", st.Message())
	}
	if _, err := e.booking.ListAppointments(context.Background(), &schedulingv1.ListAppointmentsRequest{}); err != nil {
		t.Fatalf("without a token: %v", err)
	}
}

// Being an IM client is not being every citizen (issue 11): an IM client without a token and without the
// personal-data right may read the directory and free slots and book — and gets that one appointment back —
// but lists, changes and checks in nobody's appointments, and reads no subscriber records.
func TestAnIMClientWithoutTheRightSeesNoOnesAppointments(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	anon := e.anonymousBooking
	booked, err := anon.BookAppointment(ctx, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-okafor",
		StartTime: "2027-03-29T13:00:00Z", Subscriber: citizen("ann")})
	if err != nil || booked.GetAppointment().GetBookingCode() == "" {
		t.Fatalf("booking without the right: %v, %v", booked, err)
	}
	id := booked.GetAppointment().GetAppointmentId()
	for name, call := range map[string]func() error{
		"list": func() error {
			_, err := anon.ListAppointments(ctx, &schedulingv1.ListAppointmentsRequest{})
			return err
		},
		"cancel": func() error {
			_, err := anon.CancelAppointment(ctx, &schedulingv1.CancelAppointmentRequest{AppointmentId: id})
			return err
		},
		"reschedule": func() error {
			_, err := anon.RescheduleAppointment(ctx, &schedulingv1.RescheduleAppointmentRequest{AppointmentId: id,
				StartTime: "2027-03-29T13:20:00Z"})
			return err
		},
		"check in": func() error {
			_, err := anon.CheckInAppointment(ctx, &schedulingv1.CheckInAppointmentRequest{AppointmentId: id,
				SubscriberId: "ann", NationalId: "NID-ann"})
			return err
		},
	} {
		st := testkit.WantCode(t, call(), codes.Unauthenticated)
		if !strings.Contains(st.Message(), "personal-data right") {
			t.Errorf("%s: %q does not say what would let it through", name, st.Message())
		}
	}
	// The directory and free slots stay open.
	if _, err := anon.ListFreeSlots(ctx, &schedulingv1.ListFreeSlotsRequest{ResourceId: "doc-okafor",
		From: "2027-03-29T00:00:00Z", To: "2027-03-30T00:00:00Z"}); err != nil {
		t.Errorf("free slots: %v", err)
	}
	// The back office still sees and changes it.
	if _, err := e.booking.CancelAppointment(ctx, &schedulingv1.CancelAppointmentRequest{AppointmentId: id}); err != nil {
		t.Errorf("back office cancel: %v", err)
	}
}
