package domain

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{"a@Example.ORG": "a@example.org", " b.c+d@x.io ": "b.c+d@x.io", "x@localhost": "x@localhost"} {
		if got, reason := NormalizeEmail(in); got != want || reason != "" {
			t.Errorf("%q → %q (%s), want %q", in, got, reason, want)
		}
	}
	for _, bad := range []string{"", "plain", "a@@b.c", "Name <a@b.c>", "a@b.c, d@e.f", "a@nodot", strings.Repeat("a", 250) + "@b.co"} {
		if _, reason := NormalizeEmail(bad); reason == "" {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	if got, reason := NormalizePhone("+372 5555-1234"); got != "+37255551234" || reason != "" {
		t.Errorf("got %q %s", got, reason)
	}
	for _, bad := range []string{"", "5551234", "+0123456789", "+1234", "+1234567890123456", "+372abc4567"} {
		if _, reason := NormalizePhone(bad); reason == "" {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRetryDelayGrowsWithJitterAndCap(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 5, Base: time.Second, Max: 8 * time.Second}
	for attempt, full := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 9: 8 * time.Second} {
		for range 50 {
			if d := p.Delay(attempt); d < full/2 || d > full {
				t.Fatalf("attempt %d: delay %v outside [%v, %v]", attempt, d, full/2, full)
			}
		}
	}
	if p.Exhausted(4) || !p.Exhausted(5) {
		t.Error("exhaustion off by one")
	}
}

func TestTemplateRenderEscapesAndNamesMissingVariables(t *testing.T) {
	tpl := Template{Subject: "Hi {{.name}}", TextBody: "Code {{.code}}", HTMLBody: "<p>{{.name}}</p>"}
	if err := tpl.Check(); err != nil {
		t.Fatal(err)
	}
	r, err := tpl.Render(map[string]any{"name": "<b>Mari</b>", "code": 42})
	if err != nil || r.Subject != "Hi <b>Mari</b>" || r.Text != "Code 42" || r.HTML != "<p>&lt;b&gt;Mari&lt;/b&gt;</p>" {
		t.Fatalf("%+v %v", r, err)
	}
	_, err = tpl.Render(map[string]any{"name": "Mari"})
	if apierr.KindOf(err) != apierr.KindInvalidArgument || !strings.Contains(err.Error(), "code") {
		t.Fatalf("missing variable: %v", err)
	}
	if err := (Template{TextBody: "{{.x"}).Check(); apierr.KindOf(err) != apierr.KindInvalidArgument {
		t.Fatalf("broken template: %v", err)
	}
}

func TestRecipientsFollowPointers(t *testing.T) {
	var doc any
	_ = json.Unmarshal([]byte(`{"subscriber":{"email":"s@x.org","phone":"+3725551234"},
		"recipients":[{"email":"a@x.org"},{"phone":"+100000000"},{"email":""}],"list":["b@x.org","c@x.org"],"a/b":{"~c":"t@x.org"}}`), &doc)
	cases := map[string][]string{"/subscriber/email": {"s@x.org"}, "/subscriber": {"s@x.org"}, "/recipients": {"a@x.org"},
		"/list": {"b@x.org", "c@x.org"}, "/missing": nil, "/a~1b/~0c": {"t@x.org"}}
	for ptr, want := range cases {
		if got := Recipients(doc, ptr, Email); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %v, want %v", ptr, got, want)
		}
	}
	if got := Recipients(doc, "/recipients", SMS); len(got) != 1 || got[0] != "+100000000" {
		t.Errorf("sms: %v", got)
	}
}

func TestStatusNamesAndErrors(t *testing.T) {
	if DeadLetter.GovStackName() != "notSent" || NotSent.GovStackName() != "notSent" || Delivered.GovStackName() != "delivered" {
		t.Error("GovStack names")
	}
	if !IsPermanent(Permanent(errTest)) || IsPermanent(Temporary(errTest)) || IsPermanent(errTest) {
		t.Error("classification")
	}
}

var errTest = apierr.Invalid("X", "x")
