package site

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The buyer's tender draft form: the tender's fields, itemRows rows of items (an empty row is left out),
// its lots and documents (as many rows as the buyer asks for: tenders_form_rows.go), and the two award
// criteria — price and quality — with their weights. The form's field names are plain ids (item0-cpvCode),
// so the error summary's links and the browser tests' selectors need no escaping; the API's names
// (tender.items[0].cpvCode) are mapped onto them.

// itemRows is how many item rows the draft form has.
const itemRows = 3

// itemParts are an item row's fields.
var itemParts = []string{"description", "cpvCode", "quantity", "unit"}

// tenderScalars are the draft form's other fields.
var tenderScalars = []string{"title", "description", "estimatedValue", "currency", "weightPrice", "weightQuality",
	"enquiryDays", "tenderDays", "standstillDays"}

func itemField(row int, part string) string { return "item" + strconv.Itoa(row) + "-" + part }

// draftFields are every field of the draft form with lots rows of lots and docs rows of documents.
func draftFields(lots, docs int) []string {
	out := append([]string{}, tenderScalars...)
	for row := range itemRows {
		for _, p := range itemParts {
			out = append(out, itemField(row, p))
		}
	}
	for row := range lots {
		for _, p := range lotParts {
			out = append(out, lotField(row, p))
		}
	}
	for row := range docs {
		for _, p := range tenderDocParts {
			out = append(out, documentField(row, p))
		}
	}
	return out
}

// draftForm is the posted draft form, with as many lot and document rows as it was drawn with.
func draftForm(values url.Values) *Form {
	lots, docs := rowCount(values.Get(lotRowsField)), rowCount(values.Get(docRowsField))
	return setRows(FormFrom(values, draftFields(lots, docs)...), lots, docs)
}

// formOfTender fills the draft form with a saved tender.
func formOfTender(t gatewayapi.Tender) *Form {
	f := NewForm().Set("title", t.Title).Set("description", t.Description).Set("estimatedValue", t.EstimatedValue).
		Set("currency", t.Currency).Set("enquiryDays", itoa(t.EnquiryPeriodDays)).Set("tenderDays", itoa(t.TenderPeriodDays)).
		Set("standstillDays", itoa(t.StandstillDays))
	for _, c := range t.AwardCriteria {
		switch c.Kind {
		case "price":
			f.Set("weightPrice", itoa(c.Weight))
		case "quality":
			f.Set("weightQuality", itoa(c.Weight))
		}
	}
	for row, it := range t.Items {
		if row >= itemRows {
			break
		}
		f.Set(itemField(row, "description"), it.Description).Set(itemField(row, "cpvCode"), it.CPVCode).
			Set(itemField(row, "quantity"), itoa(it.Quantity)).Set(itemField(row, "unit"), it.Unit)
	}
	setLotsAndDocuments(f, t)
	return f
}

// itoa is a number as the form shows it: "" for 0 (not given).
func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// draftRows are the form rows each sent item, lot and document came from (for the API's errors).
type draftRows struct{ items, lots, docs []int }

// draftOf reads the form into a draft, and the form rows what it sends came from. A number that is not one
// fails next to its field in the page's words.
func draftOf(c *Ctx, f *Form) (gatewayapi.TenderDraft, draftRows) {
	num := func(field string) int {
		v := f.Value(field)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			key := field
			if _, part, ok := strings.Cut(field, "-"); ok && strings.HasPrefix(field, "item") {
				key = part
			}
			f.Fail(field, c.Loc.T("tender.form."+key+".number"))
		}
		return n
	}
	d := gatewayapi.TenderDraft{Title: f.Value("title"), Description: f.Value("description"), EstimatedValue: f.Value("estimatedValue"),
		Currency: strings.ToUpper(f.Value("currency")), EnquiryPeriodDays: num("enquiryDays"), TenderPeriodDays: num("tenderDays"),
		StandstillDays: num("standstillDays"), RequiresActiveCompany: true, Items: []gatewayapi.Item{},
		AwardCriteria: []gatewayapi.AwardCriterion{
			{ID: "price", Name: c.Loc.T("tender.criterion.price"), Kind: "price", Weight: num("weightPrice")},
			{ID: "quality", Name: c.Loc.T("tender.criterion.quality"), Kind: "quality", Weight: num("weightQuality")}}}
	var rows draftRows
	for row := range itemRows {
		empty := true
		for _, p := range itemParts {
			empty = empty && f.Value(itemField(row, p)) == ""
		}
		if empty {
			continue
		}
		rows.items = append(rows.items, row)
		d.Items = append(d.Items, gatewayapi.Item{Description: f.Value(itemField(row, "description")),
			CPVCode: f.Value(itemField(row, "cpvCode")), Quantity: num(itemField(row, "quantity")), Unit: f.Value(itemField(row, "unit"))})
	}
	d.Lots, rows.lots = lotsOf(f)
	d.Documents, rows.docs = documentsOf(f)
	return d, rows
}

// draftFieldMap maps the API's field names onto the draft form: rows are the form rows of what was sent.
func draftFieldMap(rows draftRows) fieldMap {
	m := fieldMap{prefix: "tender.form", keys: map[string]string{}, fields: map[string]string{
		"tender.title": "title", "tender.description": "description", "tender.estimatedValue": "estimatedValue",
		"tender.currency": "currency", "tender.items": itemField(0, "description"), "tender.awardCriteria": "weightPrice",
		"tender.awardCriteria[0].weight": "weightPrice", "tender.awardCriteria[1].weight": "weightQuality",
		"tender.enquiryPeriodDays": "enquiryDays", "tender.tenderPeriodDays": "tenderDays", "tender.standstillDays": "standstillDays"}}
	m.keys[itemField(0, "description")] = "items"
	for i, row := range rows.items {
		for _, p := range itemParts {
			m.fields["tender.items["+strconv.Itoa(i)+"]."+p] = itemField(row, p)
			m.keys[itemField(row, p)] = p
		}
	}
	m.keys["weightPrice"] = "awardCriteria"
	mapLotsAndDocuments(m, rows)
	return m
}
