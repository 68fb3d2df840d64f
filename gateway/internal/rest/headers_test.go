package rest

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/metadata"
)

func TestIncomingHeader(t *testing.T) {
	for _, tc := range []struct {
		header, key string
		ok          bool
	}{
		{"X-Govstack-Client", "x-govstack-client", true},
		{"Information-Mediator-Client", "x-govstack-client", true},
		{"X-Road-Client", "x-govstack-client", true},
		{"X-Request-Id", "x-request-id", true},
		{"Grpc-Metadata-X-Govstack-Client", "", false}, // no caller-chosen metadata
		{"Authorization", "", false},                   // grpc-gateway forwards it itself; matching it would send it twice
		{"apiKey", "apikey", true},                     // Messaging's key, both spellings
		{"Api_key", "apikey", true},
		{"Requestuid", "requestuid", true},
		{"Cookie", "", false},
		{"X-Correlationid", "x-correlationid", true}, // Payments' X-CorrelationID, as Go canonicalises it
		{"X-Correlation-Id", "", false},              // the message log's own header, not the Payments key
		{"Platform-Tenantid", "platform-tenantid", true},
		{"X-Platform-Tenantid", "platform-tenantid", true},
		{"X-Callback-Url", "x-callback-url", true},
		{"X-Callback_url", "x-callback-url", true},
		{"Registeringinstitutionid", "x-registering-institution-id", true},
	} {
		key, ok := IncomingHeader(tc.header)
		if key != tc.key || ok != tc.ok {
			t.Errorf("IncomingHeader(%q) = %q, %v; want %q, %v", tc.header, key, ok, tc.key, tc.ok)
		}
	}
}

func TestOutgoingHeader(t *testing.T) {
	for _, k := range []string{"x-http-code", "content-type"} {
		if _, ok := OutgoingHeader(k); ok {
			t.Errorf("%s must not reach the HTTP client", k)
		}
	}
	if h, ok := OutgoingHeader("x-trace"); !ok || h != "Grpc-Metadata-x-trace" {
		t.Errorf("other metadata: %q, %v", h, ok)
	}
	if h, ok := OutgoingHeader("content-disposition"); !ok || h != "Content-Disposition" {
		t.Errorf("a file's name: %q, %v", h, ok)
	}
}

func TestForwardHTTPCode(t *testing.T) {
	for _, tc := range []struct {
		code string
		want int
	}{
		{"204", 204}, {"201", 201}, {"500", 200}, {"302", 200}, {"nope", 200}, {"", 200},
	} {
		md := runtime.ServerMetadata{HeaderMD: metadata.MD{}}
		if tc.code != "" {
			md.HeaderMD.Set(httpCodeKey, tc.code)
		}
		ctx := runtime.NewServerMetadataContext(context.Background(), md)
		rec := httptest.NewRecorder()
		if err := ForwardHTTPCode(ctx, rec, nil); err != nil {
			t.Fatal(err)
		}
		if rec.Code != tc.want {
			t.Errorf("x-http-code %q: status %d, want %d", tc.code, rec.Code, tc.want)
		}
	}
}

func FuzzSaneID(f *testing.F) {
	f.Add("abc-123")
	f.Add("a b")
	f.Fuzz(func(t *testing.T, id string) {
		if !saneID(id) {
			return
		}
		for _, c := range []byte(id) {
			if c <= ' ' || c >= 0x7f || c == '"' || c == '\\' {
				t.Fatalf("saneID accepted %q", id)
			}
		}
	})
}
