package devstack

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The demo specification is a PDF a reader opens: each xref entry points at its object, startxref at the
// xref table, and text delimiters in the tender's words are escaped.
func TestSpecificationPDFIsWellFormed(t *testing.T) {
	pdf := specificationPDF("Cables (and racks)", strings.Repeat("Network switches, installed and configured. ", 8))
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatalf("not a PDF:\n%s", pdf)
	}
	start := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(pdf)
	at, _ := strconv.Atoi(string(start[1]))
	if !bytes.HasPrefix(pdf[at:], []byte("xref\n0 6\n")) {
		t.Fatalf("startxref %d points at %.20q", at, pdf[at:])
	}
	for i, m := range regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf, -1) {
		off, _ := strconv.Atoi(string(m[1]))
		if want := fmt.Sprintf("%d 0 obj\n", i+1); !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Errorf("xref entry %d points at %.20q, want %q", i+1, pdf[off:], want)
		}
	}
	if !bytes.Contains(pdf, []byte(`(Cables \(and racks\)) Tj`)) || bytes.Count(pdf, []byte(" 0 -16 Td ")) < 3 {
		t.Errorf("the title is not escaped or the description not wrapped:\n%s", pdf)
	}
}
