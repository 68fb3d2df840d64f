package devstack

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"strings"
)

// The demo tenders carry their specification as an uploaded PDF: the buyer uploads it to Registration's
// document store (POST /documents) and the draft refers to it, so a supplier reads it through procurement
// (GET /tenders/{id}/documents/{document id}) as with any tender a buyer drafts in the portal.

// attachSpecification uploads the tender's specification as its buyer and adds it to the draft's documents.
func (d *demoSeed) attachSpecification(ctx context.Context, buyer string, draft map[string]any) error {
	pdf := specificationPDF(fmt.Sprint(draft["title"]), fmt.Sprint(draft["description"]))
	var uploaded struct {
		URL string `json:"url"`
	}
	body := map[string]any{"file": []map[string]any{{"name": "specification.pdf", "content": pdf}}}
	if err := d.c.call(ctx, "POST", "/documents", buyer, body, 200, &uploaded); err != nil {
		return err
	}
	draft["documents"] = []map[string]string{{"id": path.Base(uploaded.URL), "title": "Specification"}}
	return nil
}

// specificationPDF is a one-page PDF 1.4 with the title and the description, wrapped: Helvetica, A4.
func specificationPDF(title, description string) []byte {
	var text strings.Builder
	fmt.Fprintf(&text, "BT /F1 16 Tf 56 780 Td (%s) Tj /F1 11 Tf 0 -28 Td (Specification) Tj", pdfText(title))
	for _, line := range wrap(description, 90) {
		fmt.Fprintf(&text, " 0 -16 Td (%s) Tj", pdfText(line))
	}
	text.WriteString(" ET")
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", text.Len(), text.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return out.Bytes()
}

// pdfText escapes a PDF string's delimiters and keeps it to the ASCII the standard font draws.
func pdfText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 32 && r < 127:
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// wrap breaks s into lines of at most width characters, at spaces.
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
