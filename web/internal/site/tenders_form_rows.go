package site

import (
	"strconv"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The draft form's lots and documents: as many rows of each as the buyer asks for. "Add another lot" and
// "Add another document" are submit buttons that draw the form again as it was typed with one more empty
// row, so they work with JavaScript off; the row counts travel in hidden fields. An empty row is left out.
//
// A document is a title with its https address (the address is its id too), or a file uploaded to
// Registration's document store as the bid form does (bids_supplier.go), which becomes a row holding the
// stored document's id; clearing a row's title and address removes the document.

// maxRows is the most lot or document rows the form draws: the API's most lots and documents (50 each).
const maxRows = 50

// The hidden fields with the form's numbers of lot and document rows.
const (
	lotRowsField = "lotRows"
	docRowsField = "docRows"
)

// lotParts are a lot row's fields; tenderDocParts a document row's (id is hidden: an uploaded file's).
var (
	lotParts       = []string{"title", "estimatedValue"}
	tenderDocParts = []string{"id", "title", "url"}
)

func lotField(row int, part string) string { return "lot" + strconv.Itoa(row) + "-" + part }

// rowCount reads a posted row count: at least one row, at most maxRows.
func rowCount(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxRows)
}

// setRows keeps the numbers of lot and document rows on the form.
func setRows(f *Form, lots, docs int) *Form {
	return f.Set(lotRowsField, strconv.Itoa(lots)).Set(docRowsField, strconv.Itoa(docs))
}

// formRows are the row numbers of the form's lots and documents, for the template.
func formRows(f *Form) (lots, docs []int) {
	return upTo(rowCount(f.Value(lotRowsField))), upTo(rowCount(f.Value(docRowsField)))
}

// upTo is 0, 1, … n-1.
func upTo(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// setLotsAndDocuments fills the form's lot and document rows with a saved tender's. A document published
// at an address keeps no hidden id: its address is its id.
func setLotsAndDocuments(f *Form, t gatewayapi.Tender) {
	for row, l := range t.Lots {
		f.Set(lotField(row, "title"), l.Title).Set(lotField(row, "estimatedValue"), l.EstimatedValue)
	}
	for row, d := range t.Documents {
		f.Set(documentField(row, "title"), d.Title).Set(documentField(row, "url"), d.URL)
		if d.ID != d.URL {
			f.Set(documentField(row, "id"), d.ID)
		}
	}
	setRows(f, max(1, len(t.Lots)), max(1, len(t.Documents)))
}

// lotsOf reads the form's lots, and the rows they came from.
func lotsOf(f *Form) ([]gatewayapi.Lot, []int) {
	lots, _ := formRows(f)
	var out []gatewayapi.Lot
	var rows []int
	for _, row := range lots {
		title, value := f.Value(lotField(row, "title")), f.Value(lotField(row, "estimatedValue"))
		if title == "" && value == "" {
			continue
		}
		rows = append(rows, row)
		out = append(out, gatewayapi.Lot{Title: title, EstimatedValue: value})
	}
	return out, rows
}

// documentsOf reads the form's documents, and the rows they came from: an address is the document's id,
// else the uploaded file's id is.
func documentsOf(f *Form) ([]gatewayapi.DocumentRef, []int) {
	_, docs := formRows(f)
	var out []gatewayapi.DocumentRef
	var rows []int
	for _, row := range docs {
		title, addr := f.Value(documentField(row, "title")), f.Value(documentField(row, "url"))
		if title == "" && addr == "" {
			continue
		}
		id := f.Value(documentField(row, "id"))
		if addr != "" {
			id = addr
		}
		rows = append(rows, row)
		out = append(out, gatewayapi.DocumentRef{ID: id, Title: title, URL: addr})
	}
	return out, rows
}

// mapLotsAndDocuments adds the lots' and documents' API field names to the draft form's map.
func mapLotsAndDocuments(m fieldMap, rows draftRows) {
	for i, row := range rows.lots {
		at := "tender.lots[" + strconv.Itoa(i) + "]."
		m.fields[at+"title"], m.fields[at+"estimatedValue"] = lotField(row, "title"), lotField(row, "estimatedValue")
		m.keys[lotField(row, "title")], m.keys[lotField(row, "estimatedValue")] = "lotTitle", "lotValue"
	}
	for i, row := range rows.docs {
		at := "tender.documents[" + strconv.Itoa(i) + "]."
		// A document without an id is one with a title but neither an address nor a file: its address is missing.
		m.fields[at+"title"], m.fields[at+"url"] = documentField(row, "title"), documentField(row, "url")
		m.fields[at+"id"] = documentField(row, "url")
		m.keys[documentField(row, "title")], m.keys[documentField(row, "url")] = "docTitle", "docUrl"
	}
}

// addRow draws one more empty lot or document row when the buyer pressed "Add another …" (the posted
// "add"); it reports whether they did.
func addRow(c *Ctx, f *Form) bool {
	lots, docs := rowCount(f.Value(lotRowsField)), rowCount(f.Value(docRowsField))
	switch c.R.PostForm.Get("add") {
	case "lot":
		setRows(f, min(lots+1, maxRows), docs)
	case "document":
		setRows(f, lots, min(docs+1, maxRows))
	default:
		return false
	}
	return true
}

// attachUpload stores the draft form's file, when one was chosen, and puts it in the first empty document
// row (or a new one), titled by its file name; the buyer may retitle it. False when the file was refused
// (said next to the field).
func (s *Site) attachUpload(c *Ctx, f *Form) bool {
	doc, ok := s.uploadedDocument(c, f)
	if !ok || doc == nil {
		return ok
	}
	lots, docs := rowCount(f.Value(lotRowsField)), rowCount(f.Value(docRowsField))
	row := 0
	for row < docs && f.Value(documentField(row, "id"))+f.Value(documentField(row, "title"))+f.Value(documentField(row, "url")) != "" {
		row++
	}
	if row == maxRows {
		f.Fail("file", c.Loc.T("tender.form.file.too_many"))
		return false
	}
	f.Set(documentField(row, "id"), doc.ID).Set(documentField(row, "title"), doc.Title)
	setRows(f, lots, max(docs, row+1))
	return true
}
