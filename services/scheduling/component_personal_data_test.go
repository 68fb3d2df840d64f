package scheduling_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/usertoken"
	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
)

// Issue 11 §4, "being an IM client is not being every citizen": who may do what with a person's data, as a
// matrix of operations × callers, through the REST API. The callers, in column order:
const (
	noToken      = iota // an IM client with neither a user token nor the personal-data right
	ownToken            // the person's own citizen token
	otherCitizen        // another citizen's token
	staffToken          // hospital staff
	adminToken          // an administrator
	imRight             // an IM client (a hospital's back office) holding the personal-data right
	callerCount
)

var callerNames = [callerCount]string{"no token", "own token", "another citizen's token", "staff token", "admin token", "the IM's personal-data right"}

// matrixRow is one operation. request makes, through the back office, a fresh object of owner (a person's
// account id) where the operation needs one, and returns the REST call on it; marker is what a list shows of
// that object. want is the status per caller; shows, for lists, whether a 200 holds the owner's object.
type matrixRow struct {
	op      string
	request func(f *matrix, owner string) (method, path, body, marker string)
	want    [callerCount]int
	shows   *[callerCount]bool
}

// matrix is the state the rows share: the BB, its REST API, the token issuer and where free slots are.
type matrix struct {
	t       *testing.T
	e       env
	gw      string
	is      issuer
	slots   slotSeq // doc-kask from Monday 29 March 2027
	checkIn slotSeq // doc-saar on Thursday 25 March 2027, whose check-in is open at the matrix's "now"
}

// matrixNow is 08:45 in Tallinn on Thursday 25 March 2027: check-in is open for doc-saar's 09:00–10:40 slots.
var matrixNow = time.Date(2027, 3, 25, 6, 45, 0, 0, time.UTC) // UTC+2 before the DST change

// slotSeq hands out successive 20-minute slots of a seeded doctor (Mon–Fri 09:00–17:00 in Tallinn).
type slotSeq struct{ next time.Time }

func (s *slotSeq) take() string {
	at := s.next
	s.next = s.next.Add(20 * time.Minute)
	if s.next.Hour() >= 17 {
		s.next = time.Date(s.next.Year(), s.next.Month(), s.next.Day()+1, 9, 0, 0, 0, s.next.Location())
		for s.next.Weekday() == time.Saturday || s.next.Weekday() == time.Sunday {
			s.next = s.next.AddDate(0, 0, 1)
		}
	}
	return at.Format(time.RFC3339)
}

func (f *matrix) headers(caller int, owner string) map[string]string {
	switch caller {
	case ownToken:
		return withToken(f.is.token(owner, usertoken.RoleCitizen))
	case otherCitizen:
		return withToken(f.is.token("acct-bob", usertoken.RoleCitizen))
	case staffToken:
		return withToken(f.is.token("acct-nurse", usertoken.RoleStaff))
	case adminToken:
		return withToken(f.is.token("acct-root", usertoken.RoleAdmin))
	case imRight:
		return backOffice
	}
	return nil
}

// book books a slot of doctor for owner through the back office.
func (f *matrix) book(doctor, start, owner string) *schedulingv1.Appointment {
	f.t.Helper()
	r, err := f.e.booking.BookAppointment(context.Background(), &schedulingv1.BookAppointmentRequest{ResourceId: doctor,
		StartTime: start, Subscriber: citizen(owner)})
	if err != nil {
		f.t.Fatalf("booking for %s: %v", owner, err)
	}
	return r.GetAppointment()
}

func (f *matrix) appointment(owner string) *schedulingv1.Appointment {
	return f.book("doc-kask", f.slots.take(), owner)
}

func (f *matrix) subscriber(owner string) {
	f.t.Helper()
	if _, err := f.e.crud.CreateSubscriber(context.Background(), &schedulingv1.CreateSubscriberRequest{SubscriberDetails: citizen(owner)}); err != nil {
		f.t.Fatalf("subscriber %s: %v", owner, err)
	}
}

// alertSchedule is a message to owner at a set time, as a hospital schedules one.
func (f *matrix) alertSchedule(owner string) string {
	f.t.Helper()
	r, err := f.e.crud.CreateAlertSchedule(context.Background(), &schedulingv1.CreateAlertScheduleRequest{AlertScheduleDetails: &schedulingv1.AlertSchedule{
		EntityId: "hosp-north-tallinn", AlertDatetime: "2027-04-30T08:00:00Z", Recipients: []*schedulingv1.Recipient{{Email: owner + "@example.org"}}}})
	if err != nil {
		f.t.Fatalf("alert schedule: %v", err)
	}
	return r.GetAlertScheduleId()
}

func (f *matrix) log(owner string) string {
	f.t.Helper()
	r, err := f.e.crud.CreateLog(context.Background(), &schedulingv1.CreateLogRequest{LogDetails: &schedulingv1.LogEntry{
		EntityId: "hosp-north-tallinn", LogCategory: "visit", LogData: owner + " came with a fever"}})
	if err != nil {
		f.t.Fatalf("log: %v", err)
	}
	return r.GetLogId()
}

// Who may see or act on whose data: for each operation, each kind of caller.
func TestPersonalDataMatrix(t *testing.T) {
	is := newIssuer(t)
	e := startWith(t, is.keys)
	e.clock.Set(matrixNow)
	tallinn, _ := time.LoadLocation("Europe/Tallinn")
	f := &matrix{t: t, e: e, gw: gatewayOf(t, e), is: is,
		slots:   slotSeq{next: time.Date(2027, 3, 29, 9, 0, 0, 0, tallinn)},
		checkIn: slotSeq{next: time.Date(2027, 3, 25, 9, 0, 0, 0, tallinn)}}
	const (
		personal  = 401 // SIGN_IN_REQUIRED: personal data
		forbidden = 403
		notFound  = 404 // someone else's object, told as for an id that does not exist
	)
	onAppointment := [callerCount]int{personal, 200, notFound, 200, 200, 200}
	theirs := &[callerCount]bool{false, true, false, true, true, true}
	staffOnly := [callerCount]int{personal, forbidden, forbidden, 200, 200, 200}
	notCitizens := &[callerCount]bool{false, false, false, true, true, true}
	everyone := [callerCount]int{200, 200, 200, 200, 200, 200}
	period := "&from=2027-03-29T00:00:00Z&to=2027-03-30T00:00:00Z"

	rows := []matrixRow{
		{op: "list an appointment by id", want: [callerCount]int{personal, 200, 200, 200, 200, 200}, shows: theirs,
			request: func(f *matrix, owner string) (string, string, string, string) {
				a := f.appointment(owner)
				return "GET", "/appointment/list_details?appointment_id=" + a.GetAppointmentId(), "", a.GetAppointmentId()
			}},
		{op: "list a doctor's appointments", want: [callerCount]int{personal, 200, 200, 200, 200, 200}, shows: theirs,
			request: func(f *matrix, owner string) (string, string, string, string) {
				a := f.appointment(owner)
				return "GET", "/appointment/list_details?resource_id=doc-kask&from=" + url.QueryEscape(a.GetStartTime().AsTime().Format(time.RFC3339)), "", a.GetAppointmentId()
			}},
		{op: "cancel", want: onAppointment, request: func(f *matrix, owner string) (string, string, string, string) {
			return "POST", "/appointment/cancel", `{"appointment_id":"` + f.appointment(owner).GetAppointmentId() + `"}`, ""
		}},
		{op: "reschedule", want: onAppointment, request: func(f *matrix, owner string) (string, string, string, string) {
			a := f.appointment(owner)
			return "POST", "/appointment/reschedule", `{"appointment_id":"` + a.GetAppointmentId() + `","start_time":"` + f.slots.take() + `"}`, ""
		}},
		{op: "check in", want: onAppointment, request: func(f *matrix, owner string) (string, string, string, string) {
			a := f.book("doc-saar", f.checkIn.take(), owner)
			return "POST", "/appointment/check_in", `{"appointment_id":"` + a.GetAppointmentId() + `","subscriber_id":"` + owner +
				`","booking_code":"` + a.GetBookingCode() + `"}`, ""
		}},
		{op: "GovStack appointment modifications (cancel)", want: onAppointment, request: func(f *matrix, owner string) (string, string, string, string) {
			return "PUT", "/appointment/modifications?appointment_id=" + f.appointment(owner).GetAppointmentId(), `{"status":"cancelled"}`, ""
		}},
		{op: "GovStack appointment delete", want: onAppointment, request: func(f *matrix, owner string) (string, string, string, string) {
			return "DELETE", "/appointment?appointment_id=" + f.appointment(owner).GetAppointmentId(), "", ""
		}},
		{op: "book for a known person", want: [callerCount]int{personal, 200, forbidden, 200, 200, 200},
			request: func(f *matrix, owner string) (string, string, string, string) {
				f.subscriber(owner)
				return "POST", "/appointment/book", bookBody("doc-kask", f.slots.take(), owner), ""
			}},
		{op: "book for a person new to the BB", want: [callerCount]int{200, 200, forbidden, 200, 200, 200},
			request: func(f *matrix, owner string) (string, string, string, string) {
				return "POST", "/appointment/book", bookBody("doc-kask", f.slots.take(), owner), ""
			}},
		{op: "GovStack appointment/new for a known participant", want: [callerCount]int{personal, 200, forbidden, 200, 200, 200},
			request: func(f *matrix, owner string) (string, string, string, string) {
				f.subscriber(owner)
				return "POST", "/appointment/new", `{"participant_id":"` + owner + `","resource_id":"doc-kask","start_time":"` + f.slots.take() + `"}`, ""
			}},
		{op: "create a subscriber", want: [callerCount]int{200, 200, forbidden, 200, 200, 200},
			request: func(_ *matrix, owner string) (string, string, string, string) {
				return "POST", "/subscriber/new", `{"subscriber_id":"` + owner + `","name":"Citizen","email":"` + owner + `@example.org"}`, ""
			}},
		{op: "list subscribers", want: [callerCount]int{personal, 200, 200, 200, 200, 200}, shows: theirs,
			request: func(f *matrix, owner string) (string, string, string, string) {
				f.subscriber(owner)
				return "GET", "/subscriber/list_details?subscriber_id=" + owner, "", owner + "@example.org"
			}},
		{op: "modify a subscriber", want: onAppointment, request: func(f *matrix, owner string) (string, string, string, string) {
			f.subscriber(owner)
			return "PUT", "/subscriber/modifications?subscriber_id=" + owner, `{"email":"elsewhere@example.org"}`, ""
		}},
		{op: "delete a subscriber", want: onAppointment, request: func(f *matrix, owner string) (string, string, string, string) {
			f.subscriber(owner)
			return "DELETE", "/subscriber?subscriber_id=" + owner, "", ""
		}},
		{op: "list alert schedules", want: [callerCount]int{personal, 200, 200, 200, 200, 200}, shows: notCitizens,
			request: func(f *matrix, owner string) (string, string, string, string) {
				id := f.alertSchedule(owner)
				return "GET", "/alert_schedule/list_details?alert_schedule_id=" + id, "", owner + "@example.org"
			}},
		{op: "create an alert schedule", want: staffOnly, request: func(_ *matrix, owner string) (string, string, string, string) {
			return "POST", "/alert_schedule/new", `{"alert_datetime":"2027-04-30T08:00:00Z","recipients":[{"email":"` + owner + `@example.org"}]}`, ""
		}},
		{op: "modify an alert schedule", want: staffOnly, request: func(f *matrix, owner string) (string, string, string, string) {
			return "PUT", "/alert_schedule/modifications?alert_schedule_id=" + f.alertSchedule(owner), `{"recipients":[{"email":"elsewhere@example.org"}]}`, ""
		}},
		{op: "delete an alert schedule", want: staffOnly, request: func(f *matrix, owner string) (string, string, string, string) {
			return "DELETE", "/alert_schedule?alert_schedule_id=" + f.alertSchedule(owner), "", ""
		}},
		{op: "list logs", want: [callerCount]int{personal, 200, 200, 200, 200, 200}, shows: notCitizens,
			request: func(f *matrix, owner string) (string, string, string, string) {
				return "GET", "/log/list_details?log_id=" + f.log(owner), "", owner + " came with a fever"
			}},
		{op: "create a log", want: staffOnly, request: func(_ *matrix, owner string) (string, string, string, string) {
			return "POST", "/log/new", `{"entity_id":"hosp-north-tallinn","log_data":"` + owner + ` called"}`, ""
		}},
		{op: "modify a log", want: staffOnly, request: func(f *matrix, owner string) (string, string, string, string) {
			return "PUT", "/log/modifications?log_id=" + f.log(owner), `{"log_data":"changed"}`, ""
		}},
		{op: "delete a log", want: staffOnly, request: func(f *matrix, owner string) (string, string, string, string) {
			return "DELETE", "/log?log_id=" + f.log(owner), "", ""
		}},
		// Public data stays open to every IM client.
		{op: "free slots", want: everyone, request: func(*matrix, string) (string, string, string, string) {
			return "GET", "/resource/free_slots?resource_id=doc-mets" + period, "", ""
		}},
		{op: "availability", want: everyone, request: func(*matrix, string) (string, string, string, string) {
			return "GET", "/resource/availability?Entity_id=hosp-tartu-university&category=pediatrics" + period, "", ""
		}},
		{op: "entities", want: everyone, request: func(*matrix, string) (string, string, string, string) {
			return "GET", "/entity/list_details?city=Tallinn", "", ""
		}},
		{op: "resources", want: everyone, request: func(*matrix, string) (string, string, string, string) {
			return "GET", "/resource/list_details?specialty=cardiology", "", ""
		}},
		{op: "affiliations (working hours)", want: everyone, request: func(*matrix, string) (string, string, string, string) {
			return "GET", "/affiliation/list_details?entity_id=hosp-north-tallinn", "", ""
		}},
		{op: "message templates", want: everyone, request: func(*matrix, string) (string, string, string, string) {
			return "GET", "/message/list_details?entity_id=hosp-north-tallinn", "", ""
		}},
		{op: "events", want: everyone, request: func(*matrix, string) (string, string, string, string) {
			return "GET", "/event/list_details", "", ""
		}},
	}
	for i, row := range rows {
		for caller := range callerCount {
			owner := fmt.Sprintf("acct-%02d-%d", i, caller)
			method, path, body, marker := row.request(f, owner)
			a := send(t, f.gw, method, path, body, f.headers(caller, owner))
			where := fmt.Sprintf("%s with %s", row.op, callerNames[caller])
			if a.code != row.want[caller] {
				t.Errorf("%s: %d %s, want %d", where, a.code, a.raw, row.want[caller])
				continue
			}
			switch a.code {
			case 401:
				if !strings.Contains(a.raw, "SIGN_IN_REQUIRED") || !strings.Contains(a.raw, "personal-data right") {
					t.Errorf("%s: %s does not say what would let it through", where, a.raw)
				}
			case 403:
				if !strings.Contains(a.raw, "PERMISSION_DENIED") {
					t.Errorf("%s: %s", where, a.raw)
				}
			case 200:
				if row.shows != nil && strings.Contains(a.raw, marker) != row.shows[caller] {
					t.Errorf("%s: shows the owner's object: %v, want %v (%s)", where, !row.shows[caller], row.shows[caller], a.raw)
				}
			}
		}
	}
}
