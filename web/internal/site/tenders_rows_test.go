package site

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// withRows is draft with the form's fields, each "name=value", set.
func withRows(draft url.Values, fields ...string) url.Values {
	out := url.Values{}
	for k, v := range draft {
		out[k] = append([]string{}, v...)
	}
	for _, f := range fields {
		k, v, _ := strings.Cut(f, "=")
		out.Set(k, v)
	}
	return out
}

// fieldsOf is a form as the upload helper sends it.
func fieldsOf(v url.Values) map[string]string {
	out := map[string]string{}
	for k := range v {
		out[k] = v.Get(k)
	}
	return out
}

// Lots and documents round-trip through the draft form: "Add another lot" draws the form again with one
// more row and what was typed (no call), a file uploaded with the form becomes a document by its stored id
// beside one given by its https address; the edit form shows them again, a cleared row is removed, and the
// public page lists the lots with their values and the documents.
func TestDraftWithLotsAndDocumentsRoundTrips(t *testing.T) {
	p := newPortal(t)
	p.gw.becomeBuyer()
	p.signInAs("/buyer/tenders")
	p.get("/buyer/tenders/new").want(t, http.StatusOK, `enctype="multipart/form-data"`, `name="lot0-title"`, `id="add-lot"`,
		`name="doc0-title"`, `name="doc0-url"`, `id="add-document"`, `name="file"`, `name="lotRows" value="1"`)
	typed := withRows(draftValues(), "item0-cpvCode=32420000-3", "lot0-title=Core switches", "lot0-estimatedValue=6000.00")
	a := p.post("/buyer/tenders/new", withRows(typed, "add=lot")).want(t, http.StatusOK, `name="lot1-title"`,
		`name="lotRows" value="2"`, `value="Core switches"`, `value="6000.00"`, `value="IT communications equipment"`)
	if strings.Contains(a.body, `name="lot2-title"`) || len(p.gw.calls("POST /tenders")) != 0 {
		t.Fatal("adding a lot drew more than one row, or saved the draft")
	}
	p.post("/buyer/tenders/new", withRows(typed, "lotRows=2", "add=document")).want(t, http.StatusOK, `name="doc1-title"`,
		`name="docRows" value="2"`, `name="lot1-title"`)

	form := withRows(typed, "lotRows=2", "lot1-title=Access switches", "docRows=1", "doc0-title=Specification",
		"doc0-url=https://example.com/spec.pdf")
	p.upload("/buyer/tenders/new", fieldsOf(form), "terms.pdf", pdf).redirect(t, "/buyer/tenders/t-1")
	sent := p.gw.calls("POST /tenders")[0].Body
	if got := fmt.Sprint(sent["lots"]); got != "[map[estimatedValue:6000.00 title:Core switches] map[title:Access switches]]" {
		t.Errorf("the lots sent: %s", got)
	}
	if got := fmt.Sprint(sent["documents"]); got !=
		"[map[id:https://example.com/spec.pdf title:Specification url:https://example.com/spec.pdf] map[id:doc-77 title:terms.pdf]]" {
		t.Errorf("the documents sent: %s", got)
	}

	p.get("/buyer/tenders/t-1/edit").want(t, http.StatusOK, `value="Core switches"`, `value="Access switches"`,
		`name="lotRows" value="2"`, `name="docRows" value="2"`, `value="https://example.com/spec.pdf"`,
		`name="doc1-id" value="doc-77"`, `value="terms.pdf"`, "An uploaded file")
	edited := withRows(form, "lot1-title=", "docRows=2", "doc1-id=doc-77", "doc1-title=Terms and conditions")
	p.post("/buyer/tenders/t-1/edit", edited).redirect(t, "/buyer/tenders/t-1")
	put := p.gw.calls("PUT /tenders/t-1")[0].Body
	if got := fmt.Sprint(put["lots"], put["documents"]); got != "[map[estimatedValue:6000.00 title:Core switches]] "+
		"[map[id:https://example.com/spec.pdf title:Specification url:https://example.com/spec.pdf] map[id:doc-77 title:Terms and conditions]]" {
		t.Errorf("the changed draft sent: %s", got)
	}

	p.post("/buyer/tenders/t-1/publish", nil).redirect(t, "/buyer/tenders/t-1")
	p.client = p.newClient()
	p.get("/tenders/t-1").want(t, http.StatusOK, `id="lots"`, "Core switches", "EUR 6,000.00",
		`href="https://example.com/spec.pdf"`, ">Specification</a>", "Terms and conditions")
}

// A lot's and a document's refusals come back next to their own rows — by the rows they were sent from,
// skipping an empty one — both when the draft is saved and when it is published from the tender's page; a
// file Registration refuses is said next to the file field before the draft is sent.
func TestLotAndDocumentErrorsAreNextToTheirFields(t *testing.T) {
	p := newPortal(t)
	p.gw.becomeBuyer()
	p.signInAs("/buyer/tenders")
	p.get("/buyer/tenders/new")
	form := withRows(draftValues(), "lotRows=2", "lot1-title=Access switches", "lot1-estimatedValue=lots", "docRows=1",
		"doc0-title=Specification")

	p.gw.fail("POST /documents", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "UNSUPPORTED_DOCUMENT_TYPE"})
	p.upload("/buyer/tenders/new", fieldsOf(form), "notes.txt", []byte("plain text")).want(t, http.StatusUnprocessableEntity,
		`href="#f-file"`, "Choose a PDF, PNG or JPEG file", `value="Access switches"`, `value="Specification"`)
	if n := len(p.gw.calls("POST /tenders")); n != 0 {
		t.Fatalf("a draft was sent with its file refused: %d", n)
	}
	delete(p.gw.errors, "POST /documents")

	p.gw.fail("POST /tenders", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "INVALID_FIELD",
		violations: [][2]string{{"tender.documents[0].id", "required: the document's id (1 to 200 characters)"}}})
	p.post("/buyer/tenders/new", form).want(t, http.StatusUnprocessableEntity, `href="#f-doc0-url"`, `id="f-doc0-url-error"`,
		"Enter the document&#39;s https address, or upload it as a file", `value="lots"`)
	delete(p.gw.errors, "POST /tenders")
	p.post("/buyer/tenders/new", form).redirect(t, "/buyer/tenders/t-1")

	p.gw.fail("POST /tenders/t-1/publish", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "INVALID_FIELD",
		violations: [][2]string{{"tender.lots[0].estimatedValue", `a decimal string such as "5000.00"`}}})
	p.post("/buyer/tenders/t-1/edit", withRows(form, "publish=1")).want(t, http.StatusUnprocessableEntity,
		`href="#f-lot1-estimatedValue"`, `id="f-lot1-estimatedValue-error"`, "Enter the lot&#39;s value as an amount", `value="lots"`)

	p.gw.fail("POST /tenders/t-1/publish", fakeError{status: 400, code: "INVALID_ARGUMENT", reason: "INVALID_FIELD",
		violations: [][2]string{{"tender.lots[0].title", "required"}, {"tender.documents[0].url", "an https URL, or leave it out"}}})
	p.get("/buyer/tenders/t-1")
	p.post("/buyer/tenders/t-1/publish", nil).want(t, http.StatusUnprocessableEntity, `href="#f-lot0-title"`,
		"Enter the lot&#39;s title", `href="#f-doc0-url"`, "Enter an https address", `value="Access switches"`)
}
