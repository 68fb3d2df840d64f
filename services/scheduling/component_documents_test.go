package scheduling_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/testkit"
	"github.com/govstackbb/marketplace/platform/usertoken"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

var prescription = []byte("%PDF-1.4\n% a prescription\n%%EOF\n")

// staffOf is a staff member's token at hospital.
func (is issuer) staffOf(sub, hospital string) string {
	is.t.Helper()
	return is.sign(usertoken.Claims{Subject: sub, Roles: []string{usertoken.RoleStaff}, HospitalID: hospital}, time.Hour)
}

// bookFor books doc-kask (North Tallinn) at hh:mm on 29 March 2027 for the citizen of ctx.
func bookFor(t *testing.T, e env, ctx context.Context, hh, mm int) *schedulingv1.Appointment {
	t.Helper()
	r, err := e.booking.BookAppointment(ctx, &schedulingv1.BookAppointmentRequest{ResourceId: "doc-kask", StartTime: tallinn(t, 2027, 3, 29, hh, mm)})
	if err != nil {
		t.Fatal(err)
	}
	return r.GetAppointment()
}

// The hospital's staff attach a prescription; the patient lists and downloads it (also through REST, where
// the download is the file itself); nobody else can see it or attach to the appointment.
func TestAppointmentDocuments(t *testing.T) {
	is := newIssuer(t)
	e := startWith(t, is.keys)
	mari := as(is.token("acct-mari", usertoken.RoleCitizen))
	a := bookFor(t, e, mari, 10, 0)
	nurse := as(is.staffOf("acct-nurse", "hosp-north-tallinn"))
	up, err := e.booking.UploadAppointmentDocument(nurse, &schedulingv1.UploadAppointmentDocumentRequest{
		AppointmentId: a.GetAppointmentId(), FileName: `C:\scans\retsept.pdf`, Content: prescription})
	if err != nil {
		t.Fatal(err)
	}
	d := up.GetDocument()
	if d.GetKind() != "prescription" || d.GetFileName() != "retsept.pdf" || d.GetContentType() != "application/pdf" ||
		d.GetSizeBytes() != int64(len(prescription)) || d.GetUploadedBy() != "Account acct-nurse" {
		t.Errorf("stored %v", d)
	}
	ev := lastEvent(t, e.js, "govstack.scheduling.v1.appointment.document_added", func(m map[string]any) bool {
		return m["documentId"] == d.GetDocumentId()
	})
	if pointer(ev, "/appointment/appointmentId") != a.GetAppointmentId() || ev["fileName"] != "retsept.pdf" || ev["content"] != nil {
		t.Errorf("document_added %v", ev)
	}
	list, err := e.booking.ListAppointmentDocuments(mari, &schedulingv1.ListAppointmentDocumentsRequest{AppointmentId: a.GetAppointmentId()})
	if err != nil || len(list.GetDocuments()) != 1 || list.GetDocuments()[0].GetDocumentId() != d.GetDocumentId() {
		t.Fatalf("the patient's list = %v, %v", list, err)
	}
	base := gatewayOf(t, e)
	req, _ := http.NewRequest(http.MethodGet, base+"/appointment/document?document_id="+d.GetDocumentId(), nil)
	req.Header.Set("Authorization", "Bearer "+is.token("acct-mari", usertoken.RoleCitizen))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.Equal(body, prescription) {
		t.Errorf("REST download: %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}

	other := as(is.token("acct-juhan", usertoken.RoleCitizen))
	elsewhere := as(is.staffOf("acct-tartu", "hosp-tartu-university"))
	for name, ctx := range map[string]context.Context{"another citizen": other, "another hospital's staff": elsewhere} {
		_, err := e.booking.ListAppointmentDocuments(ctx, &schedulingv1.ListAppointmentDocumentsRequest{AppointmentId: a.GetAppointmentId()})
		if status.Code(err) != codes.NotFound {
			t.Errorf("%s lists: %v", name, err)
		}
		_, err = e.booking.GetAppointmentDocument(ctx, &schedulingv1.GetAppointmentDocumentRequest{DocumentId: d.GetDocumentId()})
		if st, _ := status.FromError(err); st.Code() != codes.NotFound || st.Message() != "document not found" {
			t.Errorf("%s downloads: %v", name, err)
		}
	}
	_, err = e.anonymousBooking.ListAppointmentDocuments(context.Background(), &schedulingv1.ListAppointmentDocumentsRequest{AppointmentId: a.GetAppointmentId()})
	testkit.WantCode(t, err, codes.Unauthenticated)
	admin := as(is.token("acct-admin", usertoken.RoleAdmin, usertoken.RoleStaff))
	for name, ctx := range map[string]context.Context{"the patient": mari, "another hospital's staff": elsewhere, "an admin of no hospital": admin} {
		t.Run(name, func(t *testing.T) {
			_, err := e.booking.UploadAppointmentDocument(ctx, &schedulingv1.UploadAppointmentDocumentRequest{
				AppointmentId: a.GetAppointmentId(), FileName: "x.pdf", Content: prescription})
			testkit.WantReason(t, err, codes.PermissionDenied, permissionDenied)
		})
	}
	if got, err := e.booking.ListAppointmentDocuments(admin, &schedulingv1.ListAppointmentDocumentsRequest{AppointmentId: a.GetAppointmentId()}); err != nil || len(got.GetDocuments()) != 1 {
		t.Errorf("admin's list = %v, %v", got, err)
	}
}

// A bad upload names every bad field; a cancelled appointment takes no document.
func TestAppointmentDocumentRefusals(t *testing.T) {
	is := newIssuer(t)
	e := startWith(t, is.keys)
	mari := as(is.token("acct-mari", usertoken.RoleCitizen))
	nurse := as(is.staffOf("acct-nurse", "hosp-north-tallinn"))
	a := bookFor(t, e, mari, 10, 0)
	_, err := e.booking.UploadAppointmentDocument(nurse, &schedulingv1.UploadAppointmentDocumentRequest{
		AppointmentId: "not-an-id", Kind: "recipe", Content: []byte("MZ an executable")})
	testkit.WantCode(t, err, codes.InvalidArgument)
	if got := violations(err); fmt.Sprint(got) != "[appointment_id kind file_name content]" {
		t.Errorf("violations %v", got)
	}
	_, err = e.booking.UploadAppointmentDocument(nurse, &schedulingv1.UploadAppointmentDocumentRequest{
		AppointmentId: a.GetAppointmentId(), FileName: "big.pdf", Content: append(bytes.Clone(prescription), make([]byte, domain.MaxDocumentBytes)...)})
	testkit.WantReason(t, err, codes.InvalidArgument, "GOVSTACK_SCHEDULING_DOCUMENT_TOO_LARGE")
	if _, err := e.booking.CancelAppointment(mari, &schedulingv1.CancelAppointmentRequest{AppointmentId: a.GetAppointmentId()}); err != nil {
		t.Fatal(err)
	}
	_, err = e.booking.UploadAppointmentDocument(nurse, &schedulingv1.UploadAppointmentDocumentRequest{
		AppointmentId: a.GetAppointmentId(), FileName: "late.pdf", Content: prescription})
	testkit.WantReason(t, err, codes.FailedPrecondition, "GOVSTACK_SCHEDULING_APPOINTMENT_CANCELLED")
}

// Uploads racing for the last places of an appointment never pass the limit: the count and the insert run
// under the appointment's lock.
func TestConcurrentUploadsKeepTheLimit(t *testing.T) {
	is := newIssuer(t)
	e := startWith(t, is.keys)
	a := bookFor(t, e, as(is.token("acct-mari", usertoken.RoleCitizen)), 10, 0)
	nurse := as(is.staffOf("acct-nurse", "hosp-north-tallinn"))
	const tries = domain.MaxDocumentsPerAppointment + 6
	var wg sync.WaitGroup
	codesSeen := make(chan codes.Code, tries)
	for i := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.booking.UploadAppointmentDocument(nurse, &schedulingv1.UploadAppointmentDocumentRequest{
				AppointmentId: a.GetAppointmentId(), FileName: fmt.Sprintf("p%d.pdf", i), Content: prescription})
			codesSeen <- status.Code(err)
		}()
	}
	wg.Wait()
	close(codesSeen)
	count := map[codes.Code]int{}
	for c := range codesSeen {
		count[c]++
	}
	if count[codes.OK] != domain.MaxDocumentsPerAppointment || count[codes.FailedPrecondition] != tries-domain.MaxDocumentsPerAppointment {
		t.Errorf("outcomes %v", count)
	}
	var stored int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM appointment_document WHERE appointment_id = $1`, a.GetAppointmentId()).Scan(&stored); err != nil || stored != domain.MaxDocumentsPerAppointment {
		t.Errorf("stored %d, %v", stored, err)
	}
}

// A list pages with next_page_token and names each appointment's doctor, hospital, zone and patient.
func TestAppointmentListPagesWithNames(t *testing.T) {
	is := newIssuer(t)
	e := startWith(t, is.keys)
	mari := as(is.token("acct-mari", usertoken.RoleCitizen))
	var want []string
	for i := range 5 {
		want = append(want, bookFor(t, e, mari, 9, 20*i).GetAppointmentId())
	}
	var got []string
	token, pages := "", 0
	for {
		page, err := e.booking.ListAppointments(mari, &schedulingv1.ListAppointmentsRequest{PageSize: 2, PageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, a := range page.GetAppointments() {
			got = append(got, a.GetAppointmentId())
			if a.GetResourceName() != "Dr. Anna Kask" || a.GetSpecialty() != "cardiology" || a.GetEntityName() != "North Tallinn Hospital" ||
				a.GetTimeZone() != "Europe/Tallinn" || a.GetSubscriberName() != "Account acct-mari" {
				t.Errorf("names %v", a)
			}
		}
		if token = page.GetNextPageToken(); token == "" {
			break
		}
	}
	if pages != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%d pages: %v, want %v", pages, got, want)
	}
	_, err := e.booking.ListAppointments(mari, &schedulingv1.ListAppointmentsRequest{PageSize: 501, PageToken: base64.RawURLEncoding.EncodeToString([]byte("x")), From: "yesterday"})
	testkit.WantCode(t, err, codes.InvalidArgument)
	if got := violations(err); fmt.Sprint(got) != "[from page_size page_token]" {
		t.Errorf("violations %v", got)
	}
}

// violations are the fields err's BadRequest names, in order.
func violations(err error) []string {
	var out []string
	st, _ := status.FromError(err)
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				out = append(out, v.GetField())
			}
		}
	}
	return out
}
