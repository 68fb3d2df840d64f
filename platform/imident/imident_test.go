package imident

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

var ee = Client{Instance: "EE", Class: "GOV", Member: "70000001", Subsystem: "registries"}

const wantPrefix = "Information-Mediator-Client header must be INSTANCE/CLASS/MEMBER/SUBSYSTEM (not four non-empty segments): got "

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Client
		ok   bool
	}{
		{"EE/GOV/70000001/registries", ee, true},
		{"  EE/GOV/70000001/registries\t", ee, true},
		{"EE / GOV / 70000001 / registries", ee, true},
		{"", Client{}, false},
		{"EE/GOV/70000001", Client{}, false},
		{"EE/GOV/70000001/registries/extra", Client{}, false},
		{"EE//70000001/registries", Client{}, false},
		{"EE/GOV/70000001/", Client{}, false},
		{"EE/ /70000001/x", Client{}, false},
		{"////", Client{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.ok {
				if err != nil || got != tt.want {
					t.Fatalf("Parse = %+v, %v; want %+v", got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", got)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("error %v does not wrap ErrMalformed", err)
			}
			if want := wantPrefix + `"` + tt.in + `"`; err.Error() != want {
				t.Errorf("error = %q\nwant    %q", err, want)
			}
		})
	}
}

func TestParseEchoIsBounded(t *testing.T) {
	long := strings.Repeat("ä", 5000)
	_, err := Parse(long)
	if err == nil {
		t.Fatal("want an error")
	}
	echoed := strings.TrimPrefix(err.Error(), wantPrefix)
	if n := strings.Count(echoed, "ä"); n != maxEcho {
		t.Errorf("echoed %d characters of the input, want %d", n, maxEcho)
	}
	if !strings.Contains(echoed, "truncated") || !utf8.ValidString(err.Error()) {
		t.Errorf("bad truncation: %q", echoed)
	}
}

func TestString(t *testing.T) {
	if got := ee.String(); got != "EE/GOV/70000001/registries" {
		t.Errorf("String = %q", got)
	}
}

func TestFromHTTP(t *testing.T) {
	tests := []struct {
		name    string
		headers [][2]string
		want    Client
		present bool
		errText string
	}{
		{"none", nil, Client{}, false, ""},
		{"canonical", [][2]string{{"X-GovStack-Client", ee.String()}}, ee, true, ""},
		{"im spelling", [][2]string{{"Information-Mediator-Client", ee.String()}}, ee, true, ""},
		{"x-road spelling", [][2]string{{"X-Road-Client", ee.String()}}, ee, true, ""},
		{"lower case", [][2]string{{"x-road-client", ee.String()}}, ee, true, ""},
		{"several agree", [][2]string{{"X-Road-Client", ee.String()}, {"X-GovStack-Client", " " + ee.String()}}, ee, true, ""},
		{"several disagree", [][2]string{{"X-GovStack-Client", ee.String()}, {"X-Road-Client", "EE/GOV/1/other"}},
			Client{}, true, `conflicting client identities: X-GovStack-Client is "EE/GOV/70000001/registries" but X-Road-Client is "EE/GOV/1/other"`},
		{"repeated disagree", [][2]string{{"X-GovStack-Client", ee.String()}, {"X-GovStack-Client", "EE/GOV/1/other"}},
			Client{}, true, "conflicting client identities"},
		{"malformed", [][2]string{{"Information-Mediator-Client", "EE/GOV"}}, Client{}, true, wantPrefix + `"EE/GOV"`},
		{"empty value", [][2]string{{"X-GovStack-Client", ""}}, Client{}, true, wantPrefix + `""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, kv := range tt.headers {
				h.Add(kv[0], kv[1])
			}
			c, present, err := FromHTTP(h)
			checkResolved(t, c, present, err, tt.want, tt.present, tt.errText)
		})
	}
}

func checkResolved(t *testing.T, c Client, present bool, err error, want Client, wantPresent bool, errText string) {
	t.Helper()
	if present != wantPresent {
		t.Errorf("present = %v, want %v", present, wantPresent)
	}
	if errText == "" {
		if err != nil || c != want {
			t.Errorf("got %+v, %v; want %+v", c, err, want)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), errText) {
		t.Errorf("error = %v, want it to contain %q", err, errText)
	}
	if !errors.Is(err, ErrMalformed) {
		t.Errorf("error %v does not wrap ErrMalformed", err)
	}
}

func TestFromIncomingContext(t *testing.T) {
	tests := []struct {
		name    string
		md      metadata.MD
		want    Client
		present bool
		errText string
	}{
		{"none", nil, Client{}, false, ""},
		{"canonical key", metadata.Pairs(MetadataKey, ee.String()), ee, true, ""},
		{"im key", metadata.Pairs("information-mediator-client", ee.String()), ee, true, ""},
		{"x-road key", metadata.Pairs("x-road-client", ee.String()), ee, true, ""},
		{"disagree", metadata.Pairs(MetadataKey, ee.String(), "x-road-client", "A/B/C/D"), Client{}, true, "conflicting"},
		{"malformed", metadata.Pairs("x-road-client", "A/B/C"), Client{}, true, wantPrefix},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.md != nil {
				ctx = metadata.NewIncomingContext(ctx, tt.md)
			}
			c, present, err := FromIncomingContext(ctx)
			checkResolved(t, c, present, err, tt.want, tt.present, tt.errText)
		})
	}
}

func TestContextRoundTrip(t *testing.T) {
	ctx := context.Background()
	if _, ok := FromContext(ctx); ok {
		t.Fatal("empty context has a client")
	}
	if c, ok := FromContext(NewContext(ctx, ee)); !ok || c != ee {
		t.Errorf("FromContext = %+v, %v", c, ok)
	}

	out := AppendToOutgoing(ctx, ee)
	md, _ := metadata.FromOutgoingContext(out)
	in := metadata.NewIncomingContext(ctx, md)
	if c, present, err := FromIncomingContext(in); err != nil || !present || c != ee {
		t.Errorf("outgoing → incoming = %+v, %v, %v", c, present, err)
	}
}

func TestUnaryServerInterceptor(t *testing.T) {
	onlyWrites := func(m string) bool { return strings.HasSuffix(m, "/Create") }
	tests := []struct {
		name     string
		required func(string) bool
		method   string
		md       metadata.MD
		code     codes.Code
		reason   string
		client   Client // expected in the handler's context; zero = none
	}{
		{"present", onlyWrites, "/x.S/Create", metadata.Pairs("x-road-client", ee.String()), codes.OK, "", ee},
		{"missing required", onlyWrites, "/x.S/Create", nil, codes.InvalidArgument, ReasonMissing, Client{}},
		{"malformed required", onlyWrites, "/x.S/Create", metadata.Pairs(MetadataKey, "EE/GOV"), codes.InvalidArgument, ReasonMalformed, Client{}},
		{"missing optional", onlyWrites, "/x.S/Get", nil, codes.OK, "", Client{}},
		{"malformed optional", onlyWrites, "/x.S/Get", metadata.Pairs(MetadataKey, "EE/GOV"), codes.OK, "", Client{}},
		{"nil required", nil, "/x.S/Create", nil, codes.OK, "", Client{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.md != nil {
				ctx = metadata.NewIncomingContext(ctx, tt.md)
			}
			var seen Client
			called := false
			_, err := UnaryServerInterceptor(tt.required)(ctx, nil, &grpc.UnaryServerInfo{FullMethod: tt.method},
				func(ctx context.Context, _ any) (any, error) {
					called = true
					seen, _ = FromContext(ctx)
					return nil, nil
				})
			st := status.Convert(err)
			if st.Code() != tt.code {
				t.Fatalf("code = %v (%s), want %v", st.Code(), st.Message(), tt.code)
			}
			if called != (tt.code == codes.OK) || seen != tt.client {
				t.Errorf("handler called = %v with client %+v, want client %+v", called, seen, tt.client)
			}
			if tt.reason == "" {
				return
			}
			checkRejection(t, st, tt.reason)
		})
	}
}

func checkRejection(t *testing.T, st *status.Status, reason string) {
	t.Helper()
	var gotReason, field string
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.ErrorInfo:
			gotReason = d.Reason
		case *errdetails.BadRequest:
			if len(d.FieldViolations) == 1 {
				field = d.FieldViolations[0].Field
			}
		}
	}
	if gotReason != reason || field != "Information-Mediator-Client" {
		t.Errorf("details: reason %q field %q, want %q and Information-Mediator-Client", gotReason, field, reason)
	}
	if reason == ReasonMissing && st.Message() != missingMessage {
		t.Errorf("message = %q", st.Message())
	}
	if reason == ReasonMalformed && !strings.HasPrefix(st.Message(), wantPrefix) {
		t.Errorf("message = %q", st.Message())
	}
}
