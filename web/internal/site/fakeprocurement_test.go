package site

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// fakePDF is every document procurement serves in the fake: a PDF naming the route it was read at.
func fakePDF(path string) []byte { return []byte("%PDF-1.7 " + path) }

// The fake gateway's answers for procurement: tenders a buyer drafts and publishes, and sealed bids.
// Tenders belong to the buyer's organisation, "Ministry of Justice"; a bid is sealed while its tender is
// active, as the API answers it (no price, no proposal).

const fakeOrg = "Ministry of Justice"

// procurementAnswer answers procurement's calls; ok is false for a route it does not know.
func (g *fakeGateway) procurementAnswer(r *http.Request, body map[string]any) (any, int, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.tenders == nil {
		g.tenders, g.bids = map[string]map[string]any{}, map[string]map[string]any{}
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch route := r.Method + " " + r.URL.Path; {
	case route == "POST /documents":
		return map[string]any{"code": 200, "url": "/documents/doc-77", "urls": []string{"/documents/doc-77"}}, 200, true
	case route == "GET /awards":
		out := []map[string]any{}
		if t := g.tenders[r.URL.Query().Get("tenderId")]; t != nil && t["status"] == "awarded" {
			out = append(out, map[string]any{"id": "a-1", "tenderId": t["id"], "bidId": "b-1", "companyId": "123456789",
				"value": "9400.00", "currency": "EUR", "status": "active", "standstillEnd": "2026-12-21T06:00:00Z"})
		}
		return out, 200, true
	case route == "GET /contracts":
		return []any{}, 200, true
	case route == "GET /user-tasks": // the process's tasks on the buyer's page of a tender in evaluation: none
		return []any{}, 200, true
	case len(parts) == 3 && parts[0] == "tenders" && parts[2] == "evaluation":
		return map[string]any{"scores": []any{}, "bids": []any{}, "audit": []any{}}, 200, true
	case route == "GET /tenders":
		return g.searchTenders(r.URL.Query())
	case route == "GET /bids":
		return g.myBids(), 200, true
	case route == "POST /tenders":
		id := fmt.Sprintf("t-%d", len(g.tenders)+1)
		body["id"], body["status"], body["buyerOrganisation"] = id, "draft", fakeOrg
		g.tenders[id] = body
		return body, 201, true
	case len(parts) == 2 && parts[0] == "tenders":
		t, ok := g.tenders[parts[1]]
		if !ok {
			return fakeErrorBody("NOT_FOUND", "NOT_FOUND"), 404, true
		}
		if r.Method == http.MethodPut {
			for k, v := range body {
				t[k] = v
			}
		}
		return t, 200, true
	case len(parts) == 3 && parts[0] == "tenders" && parts[2] == "publish":
		t := g.tenders[parts[1]]
		t["status"], t["tenderEnd"] = "active", "2026-12-21T06:00:00Z"
		return t, 200, true
	case len(parts) == 3 && parts[0] == "tenders" && parts[2] == "cancel":
		t := g.tenders[parts[1]]
		t["status"], t["statusReason"] = "cancelled", body["reason"]
		return t, 200, true
	case len(parts) == 3 && parts[0] == "tenders" && parts[2] == "questions" && r.Method == http.MethodGet:
		return []any{}, 200, true
	case len(parts) == 3 && parts[0] == "tenders" && parts[2] == "bids":
		return g.bidsAnswer(r, parts[1], body)
	case len(parts) >= 4 && parts[0] == "tenders" && parts[2] == "bids":
		return g.changeBid(r, parts[3], body)
	}
	return nil, 0, false
}

// searchTenders answers GET /tenders as the API does: by status, words of the title or description
// (each the start of a word), a CPV prefix of an item; a cpv of letters or an unknown before is a 400.
func (g *fakeGateway) searchTenders(q url.Values) (any, int, bool) {
	if cpv := q.Get("cpv"); strings.Trim(cpv, "0123456789-") != "" {
		return fakeErrorBody("INVALID_ARGUMENT", "cpv"), 400, true
	}
	if b := q.Get("before"); b != "" && g.tenders[b] == nil {
		return fakeErrorBody("INVALID_ARGUMENT", "before"), 400, true
	}
	out := []map[string]any{}
	for _, t := range g.tenders {
		text := " " + strings.ToLower(fmt.Sprint(t["title"], " ", t["description"]))
		ok := (q.Get("status") == "" || t["status"] == q.Get("status")) &&
			(q.Get("buyerOrganisation") == "" || t["buyerOrganisation"] == q.Get("buyerOrganisation"))
		for _, w := range strings.Fields(strings.ToLower(q.Get("q"))) {
			ok = ok && strings.Contains(text, " "+w)
		}
		if cpv := strings.Split(q.Get("cpv"), "-")[0]; cpv != "" {
			ok = ok && strings.Contains(fmt.Sprint(t["items"]), "cpvCode:"+cpv)
		}
		if ok {
			out = append(out, t)
		}
	}
	return pageOfFakeTenders(out, q), 200, true
}

// pageOfFakeTenders orders tenders newest (highest t-N) first and keeps the page: after before, at most limit.
func pageOfFakeTenders(ts []map[string]any, q url.Values) []map[string]any {
	num := func(t map[string]any) int {
		n, _ := strconv.Atoi(strings.TrimPrefix(fmt.Sprint(t["id"]), "t-"))
		return n
	}
	sort.Slice(ts, func(i, j int) bool { return num(ts[i]) > num(ts[j]) })
	if b := q.Get("before"); b != "" {
		for i, t := range ts {
			if t["id"] == b {
				ts = ts[i+1:]
				break
			}
		}
	}
	if limit, _ := strconv.Atoi(q.Get("limit")); limit > 0 && len(ts) > limit {
		ts = ts[:limit]
	}
	return ts
}

// myBids answers GET /bids: every bid (the fake has one supplier) with its tender.
func (g *fakeGateway) myBids() []map[string]any {
	out := []map[string]any{}
	for _, b := range g.bids {
		t := g.tenders[fmt.Sprint(b["tenderId"])]
		out = append(out, map[string]any{"bid": map[string]any{"id": b["id"], "tenderId": b["tenderId"], "status": b["status"],
			"sealed": t["status"] == "active", "submittedAt": b["submittedAt"]}, "tenderTitle": t["title"],
			"tenderStatus": t["status"], "buyerOrganisation": fakeOrg, "currency": t["currency"]})
	}
	return out
}

// bidsAnswer lists a tender's bids (sealed while it is active) or takes a supplier's bid.
func (g *fakeGateway) bidsAnswer(r *http.Request, tenderID string, body map[string]any) (any, int, bool) {
	if r.Method == http.MethodPost {
		id := fmt.Sprintf("b-%d", len(g.bids)+1)
		g.bids[id] = map[string]any{"id": id, "tenderId": tenderID, "companyId": "123456789", "status": "submitted",
			"price": body["price"], "proposal": body["proposal"], "documents": body["documents"], "submittedAt": "2026-12-07T08:00:00Z"}
		return map[string]any{"id": id, "status": "submitted", "sealed": true}, 201, true
	}
	out := []map[string]any{}
	for _, b := range g.bids {
		if b["tenderId"] != tenderID {
			continue
		}
		if g.tenders[tenderID]["status"] == "active" {
			out = append(out, map[string]any{"id": b["id"], "companyId": b["companyId"], "status": b["status"], "sealed": true,
				"submittedAt": b["submittedAt"]})
			continue
		}
		out = append(out, b)
	}
	return out, 200, true
}

// changeBid changes (PUT) or withdraws (POST .../withdraw) a bid.
func (g *fakeGateway) changeBid(r *http.Request, bidID string, body map[string]any) (any, int, bool) {
	b, ok := g.bids[bidID]
	if !ok {
		return fakeErrorBody("NOT_FOUND", "NOT_FOUND"), 404, true
	}
	if strings.HasSuffix(r.URL.Path, "/withdraw") {
		b["status"] = "withdrawn"
	} else {
		b["price"], b["proposal"] = body["price"], body["proposal"]
	}
	return map[string]any{"id": bidID, "status": b["status"], "sealed": true}, 200, true
}

// becomeBuyer makes the signed-in account a buyer of fakeOrg; becomeSupplier a supplier.
func (g *fakeGateway) becomeBuyer() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.me = map[string]any{"id": "acc-bella", "email": "bella@moj.gov.example", "name": "Bella", "roles": []string{"buyer"},
		"status": "active", "organisation": fakeOrg}
}

func (g *fakeGateway) becomeSupplier() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.me = map[string]any{"id": "acc-contoso", "email": "sales@contoso.example", "name": "Contoso", "roles": []string{"supplier"},
		"status": "active"}
}

// procurementDocument answers GET /tenders/{id}/documents/{doc} and GET /tenders/{id}/bids/{bid}/documents/{doc}
// with a PDF, as procurement serves them from Registration; an unknown tender is a 404. It reports false for
// any other route.
func (g *fakeGateway) procurementDocument(w http.ResponseWriter, r *http.Request) bool {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if r.Method != http.MethodGet || parts[0] != "tenders" || !(len(parts) == 4 && parts[2] == "documents" ||
		len(parts) == 6 && parts[2] == "bids" && parts[4] == "documents") {
		return false
	}
	g.mu.Lock()
	_, known := g.tenders[parts[1]]
	g.mu.Unlock()
	if !known {
		writeFakeError(w, fakeError{status: 404, code: "NOT_FOUND"})
		return true
	}
	w.Header().Set("Content-Type", "application/pdf")
	_, _ = w.Write(fakePDF(r.URL.Path))
	return true
}
