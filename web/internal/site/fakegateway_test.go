package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeGateway answers the REST calls the portal makes, as the gateway does (its JSON, its error body), with
// state a test can set and read. It records every request so tests can check headers.
type fakeGateway struct {
	mu       sync.Mutex
	srv      *httptest.Server
	requests []recorded
	// errors maps "METHOD /path" to the error answer it gives instead of the normal one.
	errors    map[string]fakeError
	refreshes int
	// refreshGate, when set, holds every refresh until it is closed (the concurrency test).
	refreshGate  chan struct{}
	expiresIn    int
	appointments map[string]map[string]any
	signedOut    []string
	draft        map[string]any
	now          func() time.Time
	// me is the signed-in account (a citizen unless a test makes it staff or an administrator).
	me map[string]any
	// documents are the appointments' documents by id, content base64 as the API takes it.
	documents map[string]map[string]any
	// tasks are the domain-access review tasks by id.
	tasks map[string]map[string]any
	// rights are the IM's grants on the registries service, as its configuration API lists them.
	rights []map[string]any
	// brokenLog makes the message-log verification find a tampered record.
	brokenLog bool
	// tenders and bids are procurement's, by id (fakeprocurement_test.go).
	tenders map[string]map[string]any
	bids    map[string]map[string]any
}

type recorded struct {
	Method, Path, Query, Client, Authorization, IdempotencyKey string
	Body                                                       map[string]any
}

type fakeError struct {
	status     int
	code       string
	reason     string
	violations [][2]string
	// rules are the violations' rule codes, by index ("" for none).
	rules []string
}

func newFakeGateway(t *testing.T) *fakeGateway {
	g := &fakeGateway{errors: map[string]fakeError{}, expiresIn: 900, appointments: map[string]map[string]any{}, now: time.Now,
		me:        map[string]any{"id": "acc-1", "email": "mari.tamm@example.org", "name": "Mari Tamm", "roles": []string{"citizen"}, "status": "active"},
		documents: map[string]map[string]any{}, tasks: map[string]map[string]any{}}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *fakeGateway) fail(route string, e fakeError) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.errors[route] = e
}

func (g *fakeGateway) calls(route string) []recorded {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []recorded
	for _, r := range g.requests {
		if r.Method+" "+r.Path == route {
			out = append(out, r)
		}
	}
	return out
}

func (g *fakeGateway) serve(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	raw, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(raw, &body)
	r.Body = io.NopCloser(bytes.NewReader(raw)) // for an answer whose body is not an object (the IM's rights)
	route := r.Method + " " + r.URL.Path
	g.mu.Lock()
	g.requests = append(g.requests, recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Client: r.Header.Get("X-GovStack-Client"), Authorization: r.Header.Get("Authorization"),
		IdempotencyKey: r.Header.Get("Idempotency-Key"), Body: body})
	e, failing := g.errors[route]
	g.mu.Unlock()
	if failing {
		writeFakeError(w, e)
		return
	}
	if route == "GET /appointment/document" {
		g.download(w, r.URL.Query().Get("document_id"))
		return
	}
	if g.procurementDocument(w, r) {
		return
	}
	answer, status := g.answer(r, body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(answer)
}

func writeFakeError(w http.ResponseWriter, e fakeError) {
	details := []map[string]string{}
	for i, v := range e.violations {
		d := map[string]string{"type": "fieldViolation", "field": v[0], "description": v[1]}
		if i < len(e.rules) && e.rules[i] != "" {
			d["reason"] = e.rules[i]
		}
		details = append(details, d)
	}
	if e.reason != "" {
		details = append(details, map[string]string{"type": "errorInfo", "reason": "GOVSTACK_REGISTRATION_" + e.reason, "domain": "govstack.registration"})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": e.code, "message": "RAW-API-MESSAGE must never be shown",
		"details": details, "requestId": "r1"})
}

var fakeHospitals = []map[string]any{
	{"entity_id": "hosp-north-tallinn", "name": "North Tallinn Hospital", "city": "Tallinn", "time_zone": "Europe/Tallinn", "phone": "+372 600 0001"},
	{"entity_id": "hosp-exampleville-general", "name": "Exampleville General Hospital", "city": "Exampleville", "time_zone": "UTC"},
}

var fakeDoctors = []map[string]any{
	{"resource_id": "doc-kask", "name": "Dr. Anna Kask", "specialty": "cardiology", "entity": "hosp-north-tallinn"},
	{"resource_id": "doc-saar", "name": "Dr. Peeter Saar", "specialty": "neurology", "entity": "hosp-north-tallinn"},
	{"resource_id": "doc-okafor", "name": "Dr. Grace Okafor", "specialty": "general-practice", "entity": "hosp-exampleville-general"},
}

func (g *fakeGateway) answer(r *http.Request, body map[string]any) (any, int) {
	q := r.URL.Query()
	switch r.Method + " " + r.URL.Path {
	case "POST /auth/token":
		return g.tokens("access-1", "refresh-1"), 200
	case "POST /auth/refresh":
		g.mu.Lock()
		g.refreshes++
		n, gate := g.refreshes, g.refreshGate
		g.mu.Unlock()
		if gate != nil {
			<-gate
		}
		return g.tokens(fmt.Sprintf("access-r%d", n), fmt.Sprintf("refresh-r%d", n)), 200
	case "POST /auth/sign-out":
		g.mu.Lock()
		g.signedOut = append(g.signedOut, fmt.Sprint(body["refresh_token"]))
		g.mu.Unlock()
		return map[string]any{}, 200
	case "GET /accounts/me":
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.me, 200
	case "GET /accounts/activate":
		return map[string]any{"valid": q.Get("token") == "good-token", "purpose": "activate"}, 200
	case "POST /accounts/activate", "POST /auth/password-reset/confirm":
		return map[string]any{"id": "acc-1", "email": "mari.tamm@example.org", "status": "active"}, 200
	case "POST /accounts/citizens", "POST /accounts/buyers", "POST /auth/password-reset", "POST /accounts/suppliers/drafts/d-1/submit":
		return map[string]any{"message": "We've sent an e-mail", "linkExpiresAt": "2030-01-01T00:00:00Z"}, 200
	case "POST /accounts/domain-requests":
		return map[string]any{"fileId": "file-1"}, 200
	case "POST /accounts/suppliers/drafts", "GET /accounts/suppliers/drafts/d-1", "PATCH /accounts/suppliers/drafts/d-1":
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.draft == nil || r.Method == http.MethodPost {
			g.draft = map[string]any{"draftId": "d-1", "companyId": "123456789", "companyScheme": "DUNS", "registeredName": "Contoso Health Systems"}
		}
		for k, v := range body {
			g.draft[k] = v
		}
		return g.draft, 200
	case "GET /entity/list_details":
		return map[string]any{"entities": filter(fakeHospitals, func(h map[string]any) bool {
			return (q.Get("city") == "" || h["city"] == q.Get("city")) && in(q["entity_id"], h["entity_id"])
		})}, 200
	case "GET /resource/list_details":
		return map[string]any{"resources": filter(fakeDoctors, func(d map[string]any) bool {
			return (q.Get("entity_id") == "" || d["entity"] == q.Get("entity_id")) &&
				(q.Get("specialty") == "" || d["specialty"] == q.Get("specialty")) && in(q["resource_id"], d["resource_id"])
		})}, 200
	case "GET /resource/free_slots":
		return map[string]any{"slots": g.slots(q.Get("resource_id"), q.Get("from"), q.Get("to"))}, 200
	case "POST /appointment/book":
		return g.book(body), 200
	case "POST /appointment/cancel", "POST /appointment/reschedule":
		return g.change(r.URL.Path, body)
	case "GET /appointment/list_details":
		return g.list(q.Get("appointment_id")), 200
	}
	if answer, status, ok := g.staffAnswer(r, body); ok {
		return answer, status
	}
	if answer, status, ok := g.adminAnswer(r); ok {
		return answer, status
	}
	if answer, status, ok := g.procurementAnswer(r, body); ok {
		return answer, status
	}
	return map[string]any{"code": "NOT_FOUND", "message": "no route"}, 404
}

func (g *fakeGateway) tokens(access, refresh string) map[string]any {
	return map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": g.expiresIn,
		"refresh_token": refresh, "roles": []string{"citizen"}}
}

// slots are every weekday 09:00–10:00 UTC+2 (Tallinn in winter) in 20-minute slots, or UTC at Exampleville.
func (g *fakeGateway) slots(doctor, from, to string) []map[string]any {
	f, _ := time.Parse(time.RFC3339, from)
	u, _ := time.Parse(time.RFC3339, to)
	entity := "hosp-north-tallinn"
	if doctor == "doc-okafor" {
		entity = "hosp-exampleville-general"
	}
	var out []map[string]any
	for day := time.Date(f.Year(), f.Month(), f.Day(), 7, 0, 0, 0, time.UTC); day.Before(u); day = day.AddDate(0, 0, 1) {
		for i := 0; i < 3; i++ {
			s := day.Add(time.Duration(i*20) * time.Minute)
			if s.Before(f) || !s.Before(u) || s.Weekday() == time.Saturday || s.Weekday() == time.Sunday {
				continue
			}
			out = append(out, map[string]any{"resource_id": doctor, "resource_name": "Dr", "entity_id": entity,
				"start_time": s.Format(time.RFC3339), "end_time": s.Add(20 * time.Minute).Format(time.RFC3339)})
		}
	}
	return out
}

func (g *fakeGateway) book(body map[string]any) map[string]any {
	g.mu.Lock()
	defer g.mu.Unlock()
	id := fmt.Sprintf("appt-%d", len(g.appointments)+1)
	start, _ := time.Parse(time.RFC3339, fmt.Sprint(body["start_time"]))
	a := map[string]any{"appointment_id": id, "resource_id": body["resource_id"], "participant_entity_id": "hosp-north-tallinn",
		"start_time": start.Format(time.RFC3339), "end_time": start.Add(20 * time.Minute).Format(time.RFC3339),
		"status": "booked", "booking_code": "K7Q2-" + id, "reason": body["reason"],
		"participant_entity_name": "North Tallinn Hospital", "time_zone": "Europe/Tallinn", "participant_id": "acc-1",
		"participant_name": "Mari Tamm"}
	for _, d := range fakeDoctors {
		if d["resource_id"] == body["resource_id"] {
			a["resource_name"], a["specialty"] = d["name"], d["specialty"]
		}
	}
	g.appointments[id] = a
	return map[string]any{"appointment": a}
}

func (g *fakeGateway) change(path string, body map[string]any) (any, int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	a, ok := g.appointments[fmt.Sprint(body["appointment_id"])]
	if !ok {
		return map[string]any{"code": "NOT_FOUND"}, 404
	}
	if strings.HasSuffix(path, "cancel") {
		a["status"] = "cancelled"
	} else {
		start, _ := time.Parse(time.RFC3339, fmt.Sprint(body["start_time"]))
		a["start_time"], a["end_time"] = start.Format(time.RFC3339), start.Add(20*time.Minute).Format(time.RFC3339)
	}
	return map[string]any{"appointment": a}, 200
}

func (g *fakeGateway) list(id string) map[string]any {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := []map[string]any{}
	for _, a := range g.appointments {
		if id == "" || a["appointment_id"] == id {
			out = append(out, a)
		}
	}
	return map[string]any{"appointments": out}
}

func filter(list []map[string]any, keep func(map[string]any) bool) []map[string]any {
	out := []map[string]any{}
	for _, x := range list {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// in reports whether v is one of ids (any v when ids is empty).
func in(ids []string, v any) bool {
	if len(ids) == 0 {
		return true
	}
	for _, id := range ids {
		if id == v {
			return true
		}
	}
	return false
}
