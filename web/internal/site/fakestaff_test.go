package site

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
)

// The fake gateway's answers for hospital staff (check-in, documents) and administrators (domain-access
// requests as application files and tasks).

// staffAnswer answers the staff's and administrators' calls; ok is false for a route it does not know.
func (g *fakeGateway) staffAnswer(r *http.Request, body map[string]any) (any, int, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	q := r.URL.Query()
	switch route := r.Method + " " + r.URL.Path; {
	case route == "POST /appointment/check_in":
		a, ok := g.appointments[fmt.Sprint(body["appointment_id"])]
		if !ok || body["subscriber_id"] != a["participant_id"] ||
			body["booking_code"] != a["booking_code"] && body["national_id"] != "EE37801010001" {
			return fakeErrorBody("PERMISSION_DENIED", "IDENTITY_MISMATCH"), http.StatusForbidden, true
		}
		a["status"] = "checkedIn"
		return map[string]any{"appointment": a}, 200, true
	case route == "POST /appointment/document/new":
		id := fmt.Sprintf("doc-%d", len(g.documents)+1)
		content, _ := base64.StdEncoding.DecodeString(fmt.Sprint(body["content"]))
		if !strings.HasPrefix(string(content), "%PDF-") {
			return fakeErrorBody("INVALID_ARGUMENT", "DOCUMENT_TYPE_NOT_ALLOWED"), http.StatusBadRequest, true
		}
		d := map[string]any{"document_id": id, "appointment_id": body["appointment_id"], "kind": body["kind"],
			"file_name": body["file_name"], "content_type": "application/pdf", "size_bytes": fmt.Sprint(len(content)),
			"uploaded_by": "Nurse Ann", "created_time": "2026-12-07T07:30:00Z", "content": body["content"]}
		g.documents[id] = d
		return map[string]any{"document": d}, 200, true
	case route == "GET /appointment/document/list_details":
		out := []map[string]any{}
		for _, d := range g.documents {
			if d["appointment_id"] == q.Get("appointment_id") {
				out = append(out, d)
			}
		}
		return map[string]any{"documents": out}, 200, true
	case route == "GET /applications":
		out := []map[string]any{}
		for _, t := range g.tasks {
			out = append(out, map[string]any{"fileId": t["fileId"], "mainTaskId": t["taskId"], "status": t["status"],
				"applicantId": t["data"].(map[string]any)["email"], "created": "2026-12-06T10:00:00Z", "description": "Health Board asks for health.example"})
		}
		return out, 200, true
	case strings.HasPrefix(route, "GET /tasks/"):
		t, ok := g.tasks[strings.TrimPrefix(r.URL.Path, "/tasks/")]
		if !ok {
			return fakeErrorBody("NOT_FOUND", "TASK_NOT_FOUND"), http.StatusNotFound, true
		}
		return t, 200, true
	case strings.HasPrefix(route, "POST /tasks/") && strings.HasSuffix(route, "/complete"):
		t, ok := g.tasks[strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/tasks/"), "/complete")]
		if !ok {
			return fakeErrorBody("NOT_FOUND", "TASK_NOT_FOUND"), http.StatusNotFound, true
		}
		if t["status"].(map[string]any)["code"] != "PENDING" {
			return fakeErrorBody("FAILED_PRECONDITION", "TASK_COMPLETED"), http.StatusBadRequest, true
		}
		decided := map[string]string{"approve": "APPROVED", "reject": "REJECTED"}[fmt.Sprint(body["data"].(map[string]any)["decision"])]
		t["status"] = map[string]any{"code": decided}
		return map[string]any{"taskId": t["taskId"], "status": t["status"]}, 200, true
	}
	return nil, 0, false
}

// download answers a document's content as the gateway does (the bytes, with their type).
func (g *fakeGateway) download(w http.ResponseWriter, id string) {
	g.mu.Lock()
	d, ok := g.documents[id]
	g.mu.Unlock()
	if !ok {
		writeFakeError(w, fakeError{status: http.StatusNotFound, code: "NOT_FOUND", reason: "NOT_FOUND"})
		return
	}
	content, _ := base64.StdEncoding.DecodeString(fmt.Sprint(d["content"]))
	w.Header().Set("Content-Type", "application/pdf")
	_, _ = w.Write(content)
}

// fakeErrorBody is the gateway's error body with a reason.
func fakeErrorBody(code, reason string) map[string]any {
	return map[string]any{"code": code, "message": "RAW-API-MESSAGE must never be shown", "details": []map[string]string{
		{"type": "errorInfo", "reason": "GOVSTACK_SCHEDULING_" + reason}}}
}

// becomeStaff makes the signed-in account a staff member of North Tallinn Hospital.
func (g *fakeGateway) becomeStaff() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.me = map[string]any{"id": "acc-nurse", "email": "nurse@example.org", "name": "Nurse Ann", "roles": []string{"staff"},
		"status": "active", "hospitalId": "hosp-north-tallinn"}
}

// becomeAdmin makes the signed-in account the administrator, with one open domain request.
func (g *fakeGateway) becomeAdmin() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.me = map[string]any{"id": "acc-admin", "email": "admin@example.org", "name": "Admin", "roles": []string{"admin", "staff"}, "status": "active"}
	g.tasks["task-1"] = map[string]any{"taskId": "task-1", "fileId": "file-1", "status": map[string]any{"code": "PENDING"},
		"data": map[string]any{"email": "mari@health.example", "name": "Mari", "organisation": "Health Board",
			"domain": "health.example", "reason": "We buy medical supplies"}}
}
