package site

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// The fake gateway's answers for the administrator's IM, message-log and dashboard pages.

const fakeBPMN = `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="tender-award" isExecutable="true"><bpmn:startEvent id="start"/></bpmn:process></bpmn:definitions>`

// adminAnswer answers the administrator's calls; ok is false for a route it does not know.
func (g *fakeGateway) adminAnswer(r *http.Request) (any, int, bool) {
	var body any
	_ = json.NewDecoder(r.Body).Decode(&body)
	g.mu.Lock()
	defer g.mu.Unlock()
	switch route := r.Method + " " + r.URL.Path; route {
	case "GET /api/v1/config":
		return g.imConfig(), 200, true
	case "PATCH /api/v1/rights/allow", "PATCH /api/v1/rights/deny":
		return g.changeRights(route == "PATCH /api/v1/rights/allow", body)
	case "GET /api/v1/msglog/verification":
		return g.verification(), 200, true
	case "GET /reports/tendersByStage":
		return map[string]any{"stages": []map[string]any{{"stage": "active", "tenders": 3}, {"stage": "awarded", "tenders": 1}}}, 200, true
	case "GET /reports/bidsPerTender":
		return map[string]any{"tenders": []map[string]any{{"tenderId": "t-1", "title": "Hospital beds", "stage": "active", "bids": 4,
			"withdrawn": 1, "disqualified": 0}}}, 200, true
	case "GET /reports/overdueSteps":
		return map[string]any{"steps": []map[string]any{{"tenderId": "t-2", "step": "delivery", "subject": "m-7",
			"due": "2026-12-01T00:00:00Z", "overdueDays": 5.5}}}, 200, true
	case "GET /batches/statusCounts":
		return map[string]any{"statuses": []map[string]any{{"status": "AUTHORIZED", "batches": 2}, {"status": "COMPLETED", "batches": 5}}}, 200, true
	case "GET /workflow/status":
		return map[string]any{"instances": []map[string]any{{"processId": "tender-award", "state": "active", "count": 2}},
			"overdueTimers": 0, "openIncidents": 1}, 200, true
	case "GET /incidents":
		return []map[string]any{{"id": "i-1", "processInstanceId": "pi-1", "processId": "tender-award", "elementId": "notify",
			"kind": "job", "message": "the e-mail service did not answer", "state": "open"}}, 200, true
	case "GET /processes":
		return []map[string]any{g.process()}, 200, true
	case "GET /processes/tender-award":
		return g.process(), 200, true
	case "GET /instances":
		return []map[string]any{{"id": "pi-1", "processId": "tender-award", "state": "active",
			"businessKey": "tender t-1", "waitingAt": []string{"notify"}, "openIncidents": 1}}, 200, true
	}
	return nil, 0, false
}

func (g *fakeGateway) process() map[string]any {
	return map[string]any{"id": "tender-award:2:9f1c", "key": "tender-award", "versionNumber": 2, "processDefinition": map[string]any{"name": "Tender award",
		"processBody": []map[string]any{{"code": "bpmn20-xml", "value": fakeBPMN}}}}
}

func (g *fakeGateway) imConfig() map[string]any {
	rights := g.rights
	if rights == nil {
		rights = []map[string]any{}
	}
	return map[string]any{"instance": "GOVSTACK", "members": []map[string]any{
		{"name": "GovStack", "class": "GOV", "code": "GOVSTACK", "applications": []map[string]any{
			{"id": "registries", "services": []map[string]any{{"id": "registries", "bb": "registries", "enabled": true, "rights": rights}}}}},
		{"name": "Ministry of Interior", "class": "GOV", "code": "70000001", "applications": []map[string]any{{"id": "portal", "services": []any{}}}},
	}}
}

// changeRights applies one right of the body as the IM does: the grantee must be registered (the Ministry's
// portal), the endpoint a gRPC method.
func (g *fakeGateway) changeRights(allow bool, body any) (any, int, bool) {
	items, _ := body.([]any)
	if len(items) != 1 {
		return map[string]any{"code": "INVALID_ARGUMENT", "message": "one item"}, http.StatusBadRequest, true
	}
	right := items[0].(map[string]any)["rights"].([]any)[0].(map[string]any)
	client := fmt.Sprint(right["memberCode"], "/", right["applicationId"])
	if client != "70000001/portal" {
		return map[string]any{"code": "NOT_FOUND", "message": "RAW-API-MESSAGE must never be shown"}, http.StatusNotFound, true
	}
	endpoints, _ := right["endpoints"].([]any)
	if slices.ContainsFunc(endpoints, func(e any) bool { return !strings.HasPrefix(fmt.Sprint(e), "/govstack.") }) {
		return map[string]any{"code": "INVALID_ARGUMENT", "message": "RAW-API-MESSAGE must never be shown"}, http.StatusBadRequest, true
	}
	grant := map[string]any{"memberClass": "GOV", "member": "70000001", "application": "portal"}
	if len(endpoints) > 0 {
		grant["endpoints"] = endpoints
	}
	if allow {
		g.rights = append(g.rights, grant)
	} else {
		g.rights = nil
	}
	return map[string]any{"status": "OK"}, 200, true
}

func (g *fakeGateway) verification() map[string]any {
	v := map[string]any{"ok": !g.brokenLog, "recordsChecked": 42, "checkpointsChecked": true, "chainsOutsideWindow": 1,
		"chains": []map[string]any{{"chain": "audit", "kind": "audit", "firstSeq": 1, "headSeq": 42, "recordsChecked": 42, "checkpointSeq": 40}}}
	if g.brokenLog {
		broken := map[string]any{"chain": "audit", "seq": 7, "kind": "tampered", "detail": "its content does not match its hash"}
		v["firstBroken"] = broken
		v["chains"].([]map[string]any)[0]["problem"] = broken
	}
	return v
}
