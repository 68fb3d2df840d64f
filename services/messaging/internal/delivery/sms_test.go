package delivery

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
)

func TestHTTPSMSClassifiesFailures(t *testing.T) {
	for code, permanent := range map[int]bool{http.StatusBadRequest: true, http.StatusUnprocessableEntity: true,
		http.StatusTooManyRequests: false, http.StatusRequestTimeout: false, http.StatusBadGateway: false} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }))
		err := NewHTTPSMS(srv.URL, "t", "GovStack", time.Second).Send(t.Context(), domain.Message{ID: "m", Recipient: "+3725551234", BodyText: "x"})
		srv.Close()
		if err == nil || domain.IsPermanent(err) != permanent {
			t.Errorf("%d: %v (permanent %v, want %v)", code, err, domain.IsPermanent(err), permanent)
		}
	}
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer slow.Close()
	defer close(release) // runs before slow.Close, which waits for handlers
	err := NewHTTPSMS(slow.URL, "", "", 50*time.Millisecond).Send(t.Context(), domain.Message{ID: "m"})
	if err == nil || domain.IsPermanent(err) {
		t.Errorf("time-out: %v", err)
	}
	if err := NewHTTPSMS("", "", "", 0).Send(t.Context(), domain.Message{}); err == nil || domain.IsPermanent(err) {
		t.Errorf("unconfigured: %v", err)
	}
}
