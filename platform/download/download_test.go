package download

import (
	"testing"

	"google.golang.org/grpc/metadata"
)

// A file name goes out as a Content-Disposition value and reads back the same, whatever it holds: quotes,
// a path (cut to its last element), letters outside ASCII.
func TestDispositionReadsBack(t *testing.T) {
	for name, want := range map[string]string{
		"scan.png":                         "scan.png",
		`Offer "final" v2.pdf`:             `Offer "final" v2.pdf`,
		`C:\Users\mari\Hinnapakkumine.pdf`: "Hinnapakkumine.pdf",
		"../../etc/passwd":                 "passwd",
		"Päevakava ja õigusabi.pdf":        "Päevakava ja õigusabi.pdf",
	} {
		v := Disposition(name)
		if got := NameOf(metadata.Pairs(MetadataKey, v)); got != want {
			t.Errorf("%q: %q reads back as %q, want %q", name, v, got, want)
		}
	}
	if v := Disposition(""); v != "attachment" {
		t.Errorf("no name: %q", v)
	}
	if got := NameOf(metadata.MD{}); got != "" {
		t.Errorf("no header: %q", got)
	}
}
