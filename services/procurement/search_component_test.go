package procurement

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/usertoken"

	procv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/api"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// asCaller is the context the gateway gives a call carrying a's verified user token.
func asCaller(ctx context.Context, a app.Actor) context.Context {
	if !a.SignedIn() {
		return ctx
	}
	return usertoken.NewContext(ctx, usertoken.Claims{Subject: a.ID, Email: a.Email, Organisation: a.Org, CompanyID: a.CompanyID, Roles: a.Roles})
}

// tenderOf drafts (and, when publish, publishes) a tender of title, description and item CPV codes.
func (w *world) tenderOf(by app.Actor, title, description string, publish bool, cpvs ...string) domain.Tender {
	w.t.Helper()
	d := draft()
	d.Title, d.Description, d.Items = title, description, nil
	for _, c := range cpvs {
		d.Items = append(d.Items, domain.Item{Description: "item " + c, CPV: c, Quantity: 1})
	}
	w.tick(time.Second)
	t, err := w.uc.CreateTender(w.ctx, by, d)
	w.must(err)
	if publish {
		t, err = w.uc.PublishTender(w.ctx, by, t.ID)
		w.must(err)
	}
	return t
}

// listTenders calls ListTenders as the gateway does and returns the titles, in order.
func listTenders(t *testing.T, h *api.Handlers, a app.Actor, r *procv1.ListTendersRequest) ([]string, []*procv1.Tender) {
	t.Helper()
	out, err := h.ListTenders(asCaller(t.Context(), a), r)
	if err != nil {
		t.Fatalf("ListTenders %+v: %v", r, err)
	}
	var titles []string
	for _, x := range out.GetTenders() {
		titles = append(titles, x.GetTitle())
	}
	return titles, out.GetTenders()
}

// TestTenderSearch: q matches every word as the start of a word of the title or description, in any case;
// cpv matches a prefix of any item's code; both combine with status and with one buyer organisation;
// another organisation's draft is never found, the buyer's own is.
func TestTenderSearch(t *testing.T) {
	w := newWorld(t)
	h := api.New(w.uc)
	other := app.Actor{ID: "u-other", Email: "o@thanet.gov.example", Org: "Thanet District Council", Roles: []string{app.RoleBuyer}}
	w.tenderOf(buyer, "Network switches", "PoE+ switches for the academy", true, "32420000-3")
	w.tenderOf(buyer, "Ambulance services", "Emergency transport, Devon", true, "85143000-3")
	w.tenderOf(buyer, "Telephones", "Desk phones and network cabling", true, "32550000-3", "32421000-0")
	w.tenderOf(other, "Secret network draft", "switches nobody may see", false, "32420000-3")
	w.tenderOf(buyer, "Draft switches", "our own draft", false, "32420000-3")

	for _, c := range []struct {
		who  app.Actor
		req  *procv1.ListTendersRequest
		want []string
	}{
		{app.Actor{}, &procv1.ListTendersRequest{Q: "SWITCH"}, []string{"Network switches"}},
		{buyer, &procv1.ListTendersRequest{Q: "switch"}, []string{"Draft switches", "Network switches"}},
		{app.Actor{}, &procv1.ListTendersRequest{Q: "network"}, []string{"Telephones", "Network switches"}},
		{app.Actor{}, &procv1.ListTendersRequest{Q: "network, phones!"}, []string{"Telephones"}},
		{app.Actor{}, &procv1.ListTendersRequest{Q: "twork"}, nil},
		{app.Actor{}, &procv1.ListTendersRequest{Q: "devon emergency"}, []string{"Ambulance services"}},
		{app.Actor{}, &procv1.ListTendersRequest{Cpv: "3242"}, []string{"Telephones", "Network switches"}},
		{app.Actor{}, &procv1.ListTendersRequest{Cpv: "32"}, []string{"Telephones", "Network switches"}},
		{app.Actor{}, &procv1.ListTendersRequest{Cpv: "32420000-3"}, []string{"Network switches"}},
		{app.Actor{}, &procv1.ListTendersRequest{Cpv: "3243"}, nil},
		{other, &procv1.ListTendersRequest{Cpv: "3242", Q: "switches"}, []string{"Secret network draft", "Network switches"}},
		{buyer, &procv1.ListTendersRequest{Cpv: "3242", Status: domain.StatusDraft}, []string{"Draft switches"}},
		{app.Actor{}, &procv1.ListTendersRequest{Q: "network", Status: domain.StatusCancelled}, nil},
		{buyer, &procv1.ListTendersRequest{BuyerOrganisation: buyer.Org, Cpv: "3242"}, []string{"Draft switches", "Telephones", "Network switches"}},
		{buyer, &procv1.ListTendersRequest{BuyerOrganisation: other.Org}, nil},
		{other, &procv1.ListTendersRequest{BuyerOrganisation: other.Org}, []string{"Secret network draft"}},
		{app.Actor{}, &procv1.ListTendersRequest{BuyerOrganisation: buyer.Org, Q: "ambulance"}, []string{"Ambulance services"}},
	} {
		if got, _ := listTenders(t, h, c.who, c.req); !slices.Equal(got, c.want) {
			t.Errorf("%s: %+v found %q, want %q", c.who.Org, c.req, got, c.want)
		}
	}
}

// TestTenderPaging: pages of two, each asked with before = the last id of the previous one, list every
// tender once, newest first; tenders published between the pages shift none (they are newer than every
// page); the position holds when the tender it names changes status; before naming a tender the caller
// cannot see is a 400 naming before.
func TestTenderPaging(t *testing.T) {
	w := newWorld(t)
	h := api.New(w.uc)
	var want []string
	for _, title := range []string{"t1", "t2", "t3", "t4", "t5"} {
		want = append([]string{title}, want...)
		w.tenderOf(buyer, title, "paged", true, "32420000-3")
	}
	if all, _ := listTenders(t, h, app.Actor{}, &procv1.ListTendersRequest{}); !slices.Equal(all, want) {
		t.Fatalf("newest first: %q, want %q", all, want)
	}
	var got []string
	req := &procv1.ListTendersRequest{Limit: 2, Q: "paged"}
	for pages := 0; ; pages++ {
		titles, page := listTenders(t, h, app.Actor{}, req)
		got = append(got, titles...)
		if len(page) < 2 {
			break
		}
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		last := page[len(page)-1]
		w.tenderOf(buyer, "newer "+last.GetTitle(), "paged", true, "32420000-3") // newer than every page: never listed below
		if pages == 0 {
			_, err := w.uc.CancelTender(w.ctx, buyer, last.GetId(), "the budget was withdrawn")
			w.must(err)
		}
		req.Before = last.GetId()
	}
	if !slices.Equal(got, want) {
		t.Fatalf("paged: %q, want %q", got, want)
	}

	secret := w.tenderOf(buyer, "draft", "paged", false)
	_, err := h.ListTenders(t.Context(), &procv1.ListTendersRequest{Before: secret.ID})
	wantField(t, err, "before")
	if titles, _ := listTenders(t, h, buyer, &procv1.ListTendersRequest{Before: secret.ID, Limit: 1}); len(titles) != 1 {
		t.Fatalf("the draft's own buyer pages after it: %q", titles)
	}
}

// TestTenderSearchRefusesBadParameters: each bad parameter is a 400 naming it, with what to send.
func TestTenderSearchRefusesBadParameters(t *testing.T) {
	w := newWorld(t)
	h := api.New(w.uc)
	for _, c := range []struct {
		req   *procv1.ListTendersRequest
		field string
	}{
		{&procv1.ListTendersRequest{Status: "open"}, "status"},
		{&procv1.ListTendersRequest{Limit: 501}, "limit"},
		{&procv1.ListTendersRequest{Limit: -1}, "limit"},
		{&procv1.ListTendersRequest{Q: "?!-"}, "q"},
		{&procv1.ListTendersRequest{Q: strings.Repeat("a", 201)}, "q"},
		{&procv1.ListTendersRequest{Q: strings.Repeat("a ", 11)}, "q"},
		{&procv1.ListTendersRequest{Cpv: "3"}, "cpv"},
		{&procv1.ListTendersRequest{Cpv: "32420000-"}, "cpv"},
		{&procv1.ListTendersRequest{Cpv: "3242%"}, "cpv"},
		{&procv1.ListTendersRequest{Before: "not-an-id"}, "before"},
		{&procv1.ListTendersRequest{Before: "0190f5c4-0000-7000-8000-000000000000"}, "before"},
		{&procv1.ListTendersRequest{BuyerOrganisation: strings.Repeat("a", 201)}, "buyerOrganisation"},
	} {
		_, err := h.ListTenders(t.Context(), c.req)
		wantField(t, err, c.field)
	}
}

// wantField checks err is an InvalidArgument naming field (the gateway's 400 with details).
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Kind != apierr.KindInvalidArgument || len(e.Violations) != 1 || e.Violations[0].Field != field || e.Violations[0].Description == "" {
		t.Errorf("want a 400 naming %s, got %v (%+v)", field, err, e)
	}
}
