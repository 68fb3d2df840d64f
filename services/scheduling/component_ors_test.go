package scheduling_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/metadata"

	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/usertoken"
	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling"
)

// The ORS journey of issue 11 §4 through the REST API, as a citizen and a hospital's staff walk it.

// personalDataHeader stands in, in these tests, for the IM's grant of the personal-data right: the gateway
// stand-in turns it into the call metadata the IM sets for a client an operator granted the right (the real
// IM sets it from its rights table and strips it from whatever a caller sends).
const personalDataHeader = "X-Test-Personal-Data-Right"

// backOffice is a hospital's back office, an IM client holding the personal-data right.
var backOffice = map[string]string{personalDataHeader: imident.PersonalDataGranted}

// gatewayOf serves the BB's REST API as the gateway does — the generated handlers over a connection that
// carries nothing of its own — and forwards the caller's Authorization and, for personalDataHeader, the
// personal-data right. It returns the base URL.
func gatewayOf(t *testing.T, e env) string {
	t.Helper()
	mux := runtime.NewServeMux(runtime.WithMetadata(func(_ context.Context, r *http.Request) metadata.MD {
		if r.Header.Get(personalDataHeader) == imident.PersonalDataGranted {
			return metadata.Pairs(imident.PersonalDataMetadataKey, imident.PersonalDataGranted)
		}
		return nil
	}))
	ctx := context.Background()
	for _, err := range []error{
		schedulingv1.RegisterBookingServiceHandlerClient(ctx, mux, schedulingv1.NewBookingServiceClient(e.anon)),
		schedulingv1.RegisterDirectoryServiceHandlerClient(ctx, mux, schedulingv1.NewDirectoryServiceClient(e.anon)),
		schedulingv1.RegisterSchedulerServiceHandlerClient(ctx, mux, schedulingv1.NewSchedulerServiceClient(e.anon)),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// answer is an HTTP answer: status, decoded JSON and the raw body.
type answer struct {
	code int
	body map[string]any
	raw  string
}

// send makes one REST call with headers (nil: an IM client without token or right).
func send(t testing.TB, base, method, path, body string, headers map[string]string) answer {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{code: resp.StatusCode, body: map[string]any{}, raw: string(raw)}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

// want fails unless the answer has status code and its body contains each of parts.
func (a answer) want(t testing.TB, what string, code int, parts ...string) answer {
	t.Helper()
	if a.code != code {
		t.Fatalf("%s: %d %s, want %d", what, a.code, a.raw, code)
	}
	for _, p := range parts {
		if !strings.Contains(a.raw, p) {
			t.Fatalf("%s: %s lacks %q", what, a.raw, p)
		}
	}
	return a
}

func withToken(tok string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + tok}
}

// registrationToken is an access token as the Registration BB issues it to a citizen, with the national_id
// claim (usertoken.Sign writes no such claim, so it is signed here as services/registration does).
func (is issuer) registrationToken(sub, nationalID string) string {
	is.t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: is.key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), is.kid))
	if err != nil {
		is.t.Fatal(err)
	}
	now := time.Now()
	tok, err := jwt.Signed(signer).Claims(jwt.Claims{Issuer: scheduling.DefaultTokenIssuer, Subject: sub, ID: uuid.NewString(),
		Audience: jwt.Audience{usertoken.Audience}, IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
		Expiry: jwt.NewNumericDate(now.Add(time.Hour))}).
		Claims(map[string]any{"email": sub + "@example.org", "name": "Account " + sub, "roles": []string{usertoken.RoleCitizen},
			"national_id": nationalID}).Serialize()
	if err != nil {
		is.t.Fatal(err)
	}
	return tok
}

// bookBody is a booking of resource at start (RFC 3339) for subscriber id (with name and e-mail).
func bookBody(resource, start, subscriber string) string {
	return `{"resource_id":"` + resource + `","start_time":"` + start + `","subscriber":{"subscriber_id":"` + subscriber +
		`","name":"Citizen ` + subscriber + `","email":"` + subscriber + `@example.org","national_id":"NID-` + subscriber + `"}}`
}

func appointmentOf(t testing.TB, a answer) (id, code string) {
	t.Helper()
	id, _ = pointer(a.body, "/appointment/appointment_id").(string)
	code, _ = pointer(a.body, "/appointment/booking_code").(string)
	if id == "" || code == "" {
		t.Fatalf("no appointment id or booking code in %s", a.raw)
	}
	return id, code
}

// wantFields fails unless the decoded event has each JSON pointer's value (nil: absent).
func wantFields(t testing.TB, what string, ev map[string]any, want map[string]any) {
	t.Helper()
	for p, v := range want {
		if got := pointer(ev, p); got != v {
			t.Errorf("%s %s = %v, want %v", what, p, got, v)
		}
	}
}

// Issue 11 §4, items 1 and 2: every appointment event carries its times as the people it is for read them —
// in the hospital's own zone with the zone's name, on either side of a DST change — besides the UTC ones,
// when check-in opens, and (for the confirmation, the move and the reminder) the booking code. The Messaging
// BB's templates show these (tests/e2e checks the e-mails).
func TestAppointmentEventsCarryTheHospitalsLocalTimes(t *testing.T) {
	e := start(t)
	gw := gatewayOf(t, e)
	booked := send(t, gw, "POST", "/appointment/book", bookBody("doc-kask", "2027-03-29T13:00:00+03:00", "mari"), backOffice).
		want(t, "book", 200)
	id, code := appointmentOf(t, booked)
	match := func(id string) func(map[string]any) bool {
		return func(ev map[string]any) bool { return ev["appointmentId"] == id }
	}
	ev := lastEvent(t, e.js, scheduling.EventAppointmentBooked, match(id))
	wantFields(t, "booked", ev, map[string]any{
		"/startTime": "2027-03-29T10:00:00Z", "/endTime": "2027-03-29T10:20:00Z",
		"/startTimeLocal": "Monday 29 March 2027, 13:00 (Europe/Tallinn)", "/endTimeLocal": "13:20",
		"/checkInOpensTime": "2027-03-29T08:00:00Z", "/checkInOpensLocal": "Monday 29 March 2027, 11:00 (Europe/Tallinn)",
		"/bookingCode": code, "/entity/timeZone": "Europe/Tallinn", "/entity/email": "appointments@north-tallinn.example.org",
	})

	// Before the DST change (Sunday 28 March) Tallinn is UTC+2: the same wall-clock time is another UTC time.
	friday := send(t, gw, "POST", "/appointment/book", bookBody("doc-kask", "2027-03-26T13:00:00+02:00", "jaan"), backOffice).
		want(t, "book before DST", 200)
	fridayID, fridayCode := appointmentOf(t, friday)
	wantFields(t, "booked before DST", lastEvent(t, e.js, scheduling.EventAppointmentBooked, match(fridayID)), map[string]any{
		"/startTime": "2027-03-26T11:00:00Z", "/startTimeLocal": "Friday 26 March 2027, 13:00 (Europe/Tallinn)",
	})
	// A hospital in UTC names its zone too.
	utc := send(t, gw, "POST", "/appointment/book", bookBody("doc-okafor", "2027-03-29T13:00:00Z", "grace"), backOffice).
		want(t, "book in UTC", 200)
	utcID, _ := appointmentOf(t, utc)
	wantFields(t, "booked in UTC", lastEvent(t, e.js, scheduling.EventAppointmentBooked, match(utcID)), map[string]any{
		"/startTimeLocal": "Monday 29 March 2027, 13:00 (UTC)",
	})

	// The move names the old and the new time, and the booking code (which stays).
	send(t, gw, "POST", "/appointment/reschedule", `{"appointment_id":"`+id+`","start_time":"2027-03-29T14:00:00+03:00"}`, backOffice).
		want(t, "reschedule", 200)
	wantFields(t, "rescheduled", lastEvent(t, e.js, scheduling.EventAppointmentRescheduled, match(id)), map[string]any{
		"/previousStartTime": "2027-03-29T10:00:00Z", "/previousStartTimeLocal": "Monday 29 March 2027, 13:00 (Europe/Tallinn)",
		"/startTime": "2027-03-29T11:00:00Z", "/startTimeLocal": "Monday 29 March 2027, 14:00 (Europe/Tallinn)", "/endTimeLocal": "14:20",
		"/checkInOpensLocal": "Monday 29 March 2027, 12:00 (Europe/Tallinn)", "/bookingCode": code,
		"/entity/email": "appointments@north-tallinn.example.org",
	})
	// The cancellation names the time; it has no use for the code.
	send(t, gw, "POST", "/appointment/cancel", `{"appointment_id":"`+id+`","reason":"feeling better"}`, backOffice).want(t, "cancel", 200)
	wantFields(t, "cancelled", lastEvent(t, e.js, scheduling.EventAppointmentCancelled, match(id)), map[string]any{
		"/startTimeLocal": "Monday 29 March 2027, 14:00 (Europe/Tallinn)", "/bookingCode": nil, "/reason": "feeling better",
		"/entity/email": "appointments@north-tallinn.example.org",
	})

	// The reminder, the day before, carries the local time and the code the citizen needs at check-in.
	e.clock.Set(time.Date(2027, 3, 25, 11, 30, 0, 0, time.UTC))
	reminder := lastEvent(t, e.js, scheduling.EventAlertFired, func(ev map[string]any) bool {
		return pointer(ev, "/appointment/appointmentId") == fridayID
	})
	wantFields(t, "reminder", reminder, map[string]any{
		"/kind": "appointment_reminder", "/appointment/bookingCode": fridayCode,
		"/appointment/startTimeLocal":    "Friday 26 March 2027, 13:00 (Europe/Tallinn)",
		"/appointment/checkInOpensLocal": "Friday 26 March 2027, 11:00 (Europe/Tallinn)",
	})
}

// Issue 11 §4, item 3: a signed-in citizen who books is recorded with the national id of their account (the
// token's national_id claim), whatever the request says, so check-in with their own national id works. A
// token without the claim keeps the national id the booking gives.
func TestSignedInCitizenIsRecordedWithTheirAccountsNationalID(t *testing.T) {
	is := newIssuer(t)
	e := startWith(t, is.keys)
	gw := gatewayOf(t, e)
	mari := withToken(is.registrationToken("acct-mari", "EE37801010001"))
	booked := send(t, gw, "POST", "/appointment/book", `{"resource_id":"doc-kask","start_time":"2027-03-29T13:00:00+03:00",
		"subscriber":{"national_id":"EE99999999999"}}`, mari).want(t, "mari books", 200)
	id, _ := appointmentOf(t, booked)
	if got := pointer(booked.body, "/appointment/participant_id"); got != "acct-mari" {
		t.Fatalf("mari's booking is for %v", got)
	}
	var stored string
	if err := e.pool.QueryRow(context.Background(), `SELECT national_id FROM subscriber WHERE id = 'acct-mari'`).Scan(&stored); err != nil || stored != "EE37801010001" {
		t.Fatalf("mari is recorded with national id %q (%v), want her account's", stored, err)
	}

	e.clock.Set(time.Date(2027, 3, 29, 9, 0, 0, 0, time.UTC)) // 12:00 in Tallinn: check-in is open
	checkIn := func(nationalID string) string {
		return `{"appointment_id":"` + id + `","subscriber_id":"acct-mari","national_id":"` + nationalID + `"}`
	}
	send(t, gw, "POST", "/appointment/check_in", checkIn("EE99999999999"), backOffice).
		want(t, "check-in with the id the request gave", 403, "IDENTITY_MISMATCH")
	send(t, gw, "POST", "/appointment/check_in", checkIn("EE37801010001"), mari).want(t, "check-in with her own national id", 200)

	// Without the claim (a token of an account that has none), the booking's national id is kept.
	jaan := withToken(is.token("acct-jaan", usertoken.RoleCitizen))
	booked = send(t, gw, "POST", "/appointment/book", `{"resource_id":"doc-kask","start_time":"2027-03-29T13:20:00+03:00",
		"subscriber":{"national_id":"EE38001010002"}}`, jaan).want(t, "jaan books", 200)
	id, _ = appointmentOf(t, booked)
	send(t, gw, "POST", "/appointment/check_in", `{"appointment_id":"`+id+`","subscriber_id":"acct-jaan","national_id":"EE38001010002"}`, jaan).
		want(t, "jaan checks in", 200)
}

// Issue 11 §4, item 4: check-in is accepted from two hours (GOVSTACK_SCHEDULING_CHECKIN_OPENS_BEFORE) before
// the start until the slot's end; outside, a 400 CHECK_IN_CLOSED says when the window is, in the hospital's
// local time.
func TestCheckInOnlyInItsWindow(t *testing.T) {
	e := start(t)
	gw := gatewayOf(t, e)
	id, code := appointmentOf(t, send(t, gw, "POST", "/appointment/book", bookBody("doc-kask", "2027-03-29T13:00:00+03:00", "mari"), backOffice).
		want(t, "book", 200))
	checkIn := `{"appointment_id":"` + id + `","subscriber_id":"mari","booking_code":"` + code + `"}`
	for _, c := range []struct {
		utc time.Time
		now string
	}{
		{time.Date(2027, 3, 29, 7, 59, 0, 0, time.UTC), "10:59"},  // a minute early
		{time.Date(2027, 3, 29, 10, 20, 0, 0, time.UTC), "13:20"}, // the slot has ended
		{time.Date(2027, 3, 28, 10, 0, 0, 0, time.UTC), ""},       // the day before
	} {
		e.clock.Set(c.utc)
		a := send(t, gw, "POST", "/appointment/check_in", checkIn, backOffice).want(t, "check-in at "+c.utc.String(), 400, "CHECK_IN_CLOSED")
		msg, _ := a.body["message"].(string)
		want := "check-in for this appointment is open from Monday 29 March 2027, 11:00 (Europe/Tallinn) until 13:20; it is "
		if c.now != "" {
			want += "Monday 29 March 2027, " + c.now + " (Europe/Tallinn) now"
		} else {
			want += "Sunday 28 March 2027, 13:00 (Europe/Tallinn) now"
		}
		if msg != want {
			t.Errorf("at %s: %q\nwant %q", c.utc, msg, want)
		}
	}
	e.clock.Set(time.Date(2027, 3, 29, 8, 0, 0, 0, time.UTC)) // 11:00 in Tallinn: it opens
	send(t, gw, "POST", "/appointment/check_in", checkIn, backOffice).want(t, "check-in as it opens", 200)

	// The window is the deployment's: with 30 minutes, 12:00 is too early and the confirmation says 12:30.
	e = startConfigured(t, nil, func(c *scheduling.Config) { c.CheckInOpensBefore = 30 * time.Minute })
	gw = gatewayOf(t, e)
	id, code = appointmentOf(t, send(t, gw, "POST", "/appointment/book", bookBody("doc-kask", "2027-03-29T13:00:00+03:00", "mari"), backOffice).
		want(t, "book", 200))
	ev := lastEvent(t, e.js, scheduling.EventAppointmentBooked, nil)
	wantFields(t, "booked", ev, map[string]any{"/checkInOpensLocal": "Monday 29 March 2027, 12:30 (Europe/Tallinn)"})
	checkIn = `{"appointment_id":"` + id + `","subscriber_id":"mari","booking_code":"` + code + `"}`
	e.clock.Set(time.Date(2027, 3, 29, 9, 0, 0, 0, time.UTC))
	send(t, gw, "POST", "/appointment/check_in", checkIn, backOffice).
		want(t, "check-in an hour before", 400, "open from Monday 29 March 2027, 12:30 (Europe/Tallinn) until 13:20")
	e.clock.Set(time.Date(2027, 3, 29, 9, 30, 0, 0, time.UTC))
	send(t, gw, "POST", "/appointment/check_in", checkIn, backOffice).want(t, "check-in half an hour before", 200)
}

// Issue 11 §4, item 5: a slot is listed when it starts in [from, to) — the 09:40 slot between 09:10 and 09:50
// though it ends at 10:00, not the 09:00 one that started before 09:10, not one starting at to — and a slot
// booked past to is not listed as free.
func TestFreeSlotsAreTheOnesStartingInTheRange(t *testing.T) {
	e := start(t)
	gw := gatewayOf(t, e)
	starts := func(query string) []string {
		t.Helper()
		a := send(t, gw, "GET", "/resource/free_slots?"+query, "", nil).want(t, "free slots "+query, 200)
		var out []string
		for _, s := range a.body["slots"].([]any) {
			out = append(out, s.(map[string]any)["local_start"].(string))
		}
		return out
	}
	between := func(from, to string, more ...string) string {
		q := url.Values{"from": {"2027-03-29T" + from + ":00+03:00"}, "to": {"2027-03-29T" + to + ":00+03:00"}}
		for i := 0; i+1 < len(more); i += 2 {
			q.Set(more[i], more[i+1])
		}
		return q.Encode()
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{between("09:10", "09:50", "resource_id", "doc-kask"), []string{"2027-03-29T09:20:00+03:00", "2027-03-29T09:40:00+03:00"}},
		{between("09:10", "09:50", "entity_id", "hosp-north-tallinn", "specialty", "cardiology"), []string{"2027-03-29T09:20:00+03:00", "2027-03-29T09:40:00+03:00"}},
		{between("09:10", "09:40", "resource_id", "doc-kask"), []string{"2027-03-29T09:20:00+03:00"}},
		{between("09:00", "09:01", "resource_id", "doc-kask"), []string{"2027-03-29T09:00:00+03:00"}},
	} {
		if got := starts(c.query); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.query, got, c.want)
		}
	}
	send(t, gw, "POST", "/appointment/book", bookBody("doc-kask", "2027-03-29T09:40:00+03:00", "mari"), nil).want(t, "book 09:40", 200)
	if got := starts(between("09:10", "09:50", "resource_id", "doc-kask")); !slices.Equal(got, []string{"2027-03-29T09:20:00+03:00"}) {
		t.Errorf("after booking 09:40: %v", got)
	}
	q := url.Values{"Entity_id": {"hosp-north-tallinn"}, "category": {"cardiology"}, "from": {"2027-03-29T09:10:00+03:00"}, "to": {"2027-03-29T10:00:00+03:00"}}
	av := send(t, gw, "GET", "/resource/availability?"+q.Encode(), "", nil).want(t, "availability", 200)
	if got := pointer(av.body, "/resources/0/free_slots/0/local_start"); got != "2027-03-29T09:20:00+03:00" || pointer(av.body, "/resources/0/free_slots/1") != nil {
		t.Errorf("availability %s", av.raw)
	}
}
