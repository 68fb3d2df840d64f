package devmail

import (
	"fmt"
	"io"
	"net/http/httptest"
	netsmtp "net/smtp"
	"strings"
	"testing"
)

func send(t *testing.T, m *Mailbox, to, subject, raw string) {
	t.Helper()
	msg := "From: no-reply@localhost\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-Id: <" + subject + "@localhost>\r\n" + raw
	if err := netsmtp.SendMail(m.Addr(), nil, "no-reply@localhost", []string{to}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
}

// An activation e-mail as Messaging sends it (multipart, quoted-printable, the link wrapped with a soft
// break) is kept as its reader sees it, and its page shows the link as a link, the rest escaped.
func TestAMailSentOverSMTPIsReadableOnThePage(t *testing.T) {
	m, err := Start("127.0.0.1:0", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	send(t, m, "mari@example.org", "Activate your account", "MIME-Version: 1.0\r\n"+
		"Content-Type: multipart/alternative; boundary=b1\r\n\r\n"+
		"--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"+
		"Open <b>this</b> link: http://127.0.0.1:8081/activate?token=3Dabc=\r\ndef to set a password.\r\n"+
		"--b1\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--b1--\r\n")
	send(t, m, "other@example.org", "Something else", "\r\nplain text\r\n")

	msgs := m.Messages()
	if len(msgs) != 2 || msgs[0].To != "mari@example.org" || msgs[0].ID != 1 ||
		!strings.Contains(msgs[0].Body, "http://127.0.0.1:8081/activate?token=abcdef to set") {
		t.Fatalf("kept: %+v", msgs)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/?to=MARI@example.org", nil))
	page := rec.Body.String()
	if !strings.Contains(page, `<a href="http://127.0.0.1:8081/activate?token=abcdef">`) ||
		!strings.Contains(page, "Open &lt;b&gt;this&lt;/b&gt; link") || strings.Contains(page, "Something else") {
		t.Fatalf("the page for one recipient:\n%s", page)
	}
	rec = httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/messages", nil))
	body, _ := io.ReadAll(rec.Body)
	rec = httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/messages?to=nobody@example.org", nil))
	if got := strings.TrimSpace(rec.Body.String()); got != "[]" {
		t.Fatalf("no message for a recipient is %q, want []", got)
	}
	if first := strings.Index(string(body), "Something else"); first < 0 || first > strings.Index(string(body), "Activate") {
		t.Fatalf("the JSON is not newest first: %s", body)
	}
}

// The mailbox keeps the newest messages only: a long-running stack does not grow without bound.
func TestTheMailboxKeepsTheNewest(t *testing.T) {
	m, err := Start("127.0.0.1:0", 3)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for i := 1; i <= 5; i++ {
		send(t, m, "a@example.org", fmt.Sprint("n", i), "\r\nbody\r\n")
	}
	msgs := m.Messages()
	if len(msgs) != 3 || msgs[0].Subject != "n3" || msgs[2].Subject != "n5" || msgs[2].ID != 5 {
		t.Fatalf("kept: %+v", msgs)
	}
}
