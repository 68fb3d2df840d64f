package scheduling_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"

	schedulingv1 "github.com/govstackbb/marketplace/proto/govstack/scheduling/v1"
)

// restClient serves the generated grpc-gateway handlers over the env's gRPC clients, as the gateway does
// (with grpc-gateway's default error handler; the gateway's own gives the same HTTP statuses).
func restClient(t *testing.T, e env) *httptest.Server {
	t.Helper()
	mux := runtime.NewServeMux()
	ctx := context.Background()
	for _, err := range []error{
		schedulingv1.RegisterBookingServiceHandlerClient(ctx, mux, e.booking),
		schedulingv1.RegisterDirectoryServiceHandlerClient(ctx, mux, e.directory),
		schedulingv1.RegisterSchedulerServiceHandlerClient(ctx, mux, e.crud),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func do(t *testing.T, method, u, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// TestRESTSurface checks GovStack's query parameter names reach the handlers, bodies use GovStack field
// names, and the race loser is a 409.
func TestRESTSurface(t *testing.T) {
	e := start(t)
	srv := restClient(t, e)
	q := url.Values{"Entity_id": {"hosp-north-tallinn"}, "category": {"cardiology"},
		"from": {"2027-03-29T09:00:00+03:00"}, "to": {"2027-03-29T10:00:00+03:00"}}
	code, body := do(t, http.MethodGet, srv.URL+"/resource/availability?"+q.Encode(), "")
	if code != 200 || pointer(body, "/resources/0/resource_id") != "doc-kask" || pointer(body, "/resources/0/free_slots/2/local_start") != "2027-03-29T09:40:00+03:00" {
		t.Fatalf("availability %d %v", code, body)
	}
	code, body = do(t, http.MethodGet, srv.URL+"/resource/free_slots?resource_id=doc-kask&from=monday&to=2027-03-30T00:00:00Z", "")
	if code != 400 {
		t.Errorf("bad from: %d %v", code, body)
	}
	code, body = do(t, http.MethodGet, srv.URL+"/entity/list_details?entity_id=hosp-tartu-university&entity_id=hosp-north-tallinn", "")
	if code != 200 || len(pointer(body, "/entities").([]any)) != 2 || pointer(body, "/entities/0/time_zone") != "Europe/Tallinn" {
		t.Errorf("entities %d %v", code, body)
	}
	book := `{"resource_id":"doc-kask","start_time":"2027-03-29T09:00:00+03:00","subscriber":{"subscriber_id":"s1","name":"S One","email":"s1@example.org"}}`
	if code, body = do(t, http.MethodPost, srv.URL+"/appointment/book", book); code != 200 || pointer(body, "/appointment/participant_id") != "s1" {
		t.Fatalf("book %d %v", code, body)
	}
	book2 := strings.Replace(book, `"s1"`, `"s2"`, 1)
	if code, body = do(t, http.MethodPost, srv.URL+"/appointment/book", book2); code != http.StatusConflict || !strings.Contains(body["message"].(string), "slot already booked") {
		t.Errorf("second booking %d %v", code, body)
	}
	code, body = do(t, http.MethodPost, srv.URL+"/message/new?requestor_id=ors", `{"message_body":"hello","entity_id":"hosp-north-tallinn"}`)
	if code != 200 || pointer(body, "/message/message_body") != "hello" {
		t.Errorf("message/new %d %v", code, body)
	}
	id, _ := pointer(body, "/message_id").(string)
	if code, body = do(t, http.MethodPut, srv.URL+"/message/modifications?message_id="+id, `{"message_body":"bye"}`); code != 200 || pointer(body, "/message/message_body") != "bye" {
		t.Errorf("message/modifications %d %v", code, body)
	}
	if code, _ = do(t, http.MethodDelete, srv.URL+"/message?message_id="+id, ""); code != 200 {
		t.Errorf("DELETE /message %d", code)
	}
	if code, _ = do(t, http.MethodDelete, srv.URL+"/message?message_id="+id, ""); code != 404 {
		t.Errorf("DELETE /message again %d", code)
	}
}
