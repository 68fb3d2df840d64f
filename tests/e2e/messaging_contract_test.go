package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/internal/devstack"
)

// TestMessagingFollowsItsOpenAPI drives the Messaging contract fixes of issue 11: the spec's 405 "Invalid
// input", the apiKey asked for before the body is read, callback and callbackURI on either send, and short
// API keys on a development machine.
func TestMessagingFollowsItsOpenAPI(t *testing.T) {
	// A development stack with a short key, as a newcomer would configure it.
	s := startStackWith(t, func(c *devstack.Config) { c.Messaging.APIKeys = "demo=test" })
	key := map[string]string{"apiKey": "test"}
	run := fmt.Sprint(time.Now().UnixNano())

	t.Run("invalid input is the spec's 405, with the error body", func(t *testing.T) {
		expect(t, s.do(t, "POST", "/send/email/single", `{"recipientInfo":{"email":"a@example.org"}}`, key), 405,
			`"code":"METHOD_NOT_ALLOWED"`, `"field":"emailContent`)
		expect(t, s.do(t, "POST", "/send/email/single", `{"recipientInfo":{"email":12345}}`, key), 405, `"field":"recipientInfo.email"`)
		expect(t, s.do(t, "POST", "/send/email/single", `{"recipientInfo":`, key), 405, "not valid JSON")
	})

	t.Run("a missing key is 401 whatever the body", func(t *testing.T) {
		expect(t, s.do(t, "POST", "/send/email/single", `{"recipientInfo":`, nil), 401, "apiKey")
		expect(t, s.do(t, "POST", "/send/email/batch", `[1,2]`, nil), 401, "apiKey")
	})

	t.Run("callback and callbackURI on either send", func(t *testing.T) {
		single := func(cb string) string {
			return `{"recipientInfo":{"email":"cb-` + run + `@example.org"},"emailContent":{"title":"Hi","content":"x"},` + cb + `}`
		}
		expect(t, s.do(t, "POST", "/send/email/single", single(`"callbackURI":{"uri":"http://127.0.0.1:1/cb"}`), key), 200, `"accepted":1`)
		expect(t, s.do(t, "POST", "/send/email/single", single(`"callback":{"uri":"http://127.0.0.1:1/cb"}`), key), 200, `"accepted":1`)
		expect(t, s.do(t, "POST", "/send/email/single",
			single(`"callback":{"uri":"http://127.0.0.1:1/a"},"callbackURI":{"uri":"http://127.0.0.1:1/b"}`), key), 405, "CALLBACK_CONFLICT")
		batch := `{"recipients":[{"email":"cb2-` + run + `@example.org"}],"emailContent":{"title":"Hi","content":"x"},"callback":{"uri":"http://127.0.0.1:1/cb"}}`
		expect(t, s.do(t, "POST", "/send/email/batch", batch, key), 200, `"accepted":1`)
	})
}
