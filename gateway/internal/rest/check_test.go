package rest

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// read parses body and checks it against resttest.Booking.
func read(t *testing.T, body string) (*dynamicpb.Message, []violation) {
	t.Helper()
	md := testMessage(t, "Booking")
	n, err := parseJSON([]byte(body))
	if err != nil {
		t.Fatalf("parse %s: %v", body, err)
	}
	clean, vs := checkBody(n, md)
	if len(vs) > 0 {
		return nil, vs
	}
	m := dynamicpb.NewMessage(md)
	// The point of the check: what passes, protojson reads — strictly, without discarding anything.
	if err := protojson.Unmarshal(clean, m); err != nil {
		t.Fatalf("protojson refused the checked body %s (from %s): %v", clean, body, err)
	}
	return m, nil
}

func get(m *dynamicpb.Message, name string) protoreflect.Value {
	return m.Get(m.Descriptor().Fields().ByName(protoreflect.Name(name)))
}

func TestCheckBodyAcceptsWhatClientsSend(t *testing.T) {
	m, vs := read(t, `{
		"bookingId": "b-1", "seats": "3", "amount": 12e2, "paid": true, "price": 9.5,
		"status": "checkedIn", "statuses": ["booked", "BOOKING_STATUS_NOT_SENT", 2, "not_sent"],
		"photo": "aGk=", "tags": ["a", "b"], "labels": {"k": "v"},
		"guest": {"name": "Mari", "nationalId": "EE38001010001", "shoeSize": 41},
		"start_time": "2026-12-04T12:00:00+02:00", "content": {"firstName": "Mari", "n": [1, null, {"x": true}]},
		"guests": [{"national_id": "1"}], "email": "mari@example.org",
		"unknownField": {"deep": [1, 2, 3]}, "phone": null, "seatsLeft": 4
	}`)
	if vs != nil {
		t.Fatalf("violations: %v", vs)
	}
	checks := map[string]any{
		"booking_id": "b-1", "seats": int32(3), "amount": int64(1200), "paid": true, "price": 9.5,
		"status": protoreflect.EnumNumber(2), "email": "mari@example.org",
	}
	for name, want := range checks {
		if got := get(m, name).Interface(); got != want {
			t.Errorf("%s = %v (%T), want %v", name, got, got, want)
		}
	}
	statuses := get(m, "statuses").List()
	if statuses.Len() != 4 || statuses.Get(0).Enum() != 1 || statuses.Get(1).Enum() != 3 || statuses.Get(2).Enum() != 2 || statuses.Get(3).Enum() != 3 {
		t.Errorf("statuses = %v", statuses)
	}
	start := get(m, "start_time").Message()
	secs := start.Get(start.Descriptor().Fields().ByName("seconds")).Int()
	if want := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC).Unix(); secs != want {
		t.Errorf("start_time = %d, want %d", secs, want)
	}
	guest := get(m, "guest").Message()
	if id := guest.Get(guest.Descriptor().Fields().ByName("national_id")).String(); id != "EE38001010001" {
		t.Errorf("guest.nationalId = %q", id)
	}
}

func TestCheckBodyNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		body, field, want string
	}{
		{`{"seats": "many"}`, "seats", `expected a whole number, got "many"`},
		{`{"seats": 99999999999}`, "seats", "expected a whole number from -2147483648 to 2147483647, got 99999999999"},
		{`{"seats": 1.5}`, "seats", "whole number"},
		{`{"seats": [1]}`, "seats", "got a list"},
		{`{"amount": "12345678901234567890"}`, "amount", "9223372036854775807"},
		{`{"bookingId": 12345}`, "bookingId", "expected a string, got 12345"},
		{`{"booking_id": {"a": 1}}`, "booking_id", "expected a string, got an object"},
		{`{"status": "lost"}`, "status", `expected one of booked, checkedIn, notSent, got "lost"`},
		{`{"status": true}`, "status", "expected one of booked, checkedIn, notSent, got true"},
		{`{"statuses": ["booked", "gone"]}`, "statuses[1]", `got "gone"`},
		{`{"start_time": 12345}`, "start_time", "RFC 3339 form with a time zone, e.g. 2026-12-04T10:00:00Z, got 12345"},
		{`{"start_time": "2026-12-04 10:00"}`, "start_time", `got the string "2026-12-04 10:00"`},
		{`{"tags": "a"}`, "tags", "expected a list (a JSON array), got the string \"a\""},
		{`{"tags": ["a", null]}`, "tags[1]", "must not be null"},
		{`{"guest": "Mari"}`, "guest", "expected an object"},
		{`{"guest": {"name": "a\u0000b"}}`, "guest.name", "NUL"},
		{`{"guests": [{}, {"name": 7}]}`, "guests[1].name", "expected a string, got 7"},
		{`{"content": {"first": "\u0000"}}`, "content.first", "NUL"},
		{`{"content": {"list": ["ok", "x\u0000"]}}`, "content.list[1]", "NUL"},
		{`{"content": "text"}`, "content", "expected an object"},
		{`{"email": "a@b.c", "phone": "+372"}`, "phone", `cannot be given together with "email"`},
		{`{"bookingId": "a", "booking_id": "b"}`, "booking_id", `given twice (as "bookingId" and "booking_id")`},
		{`{"paid": "yes"}`, "paid", `expected true or false, got "yes"`},
		{`{"paid": 1}`, "paid", "expected true or false, got 1"},
		{`{"photo": "***"}`, "photo", "base64"},
		{`{"labels": {"k": 1}}`, "labels.k", "expected a string, got 1"},
		{`{"labels": {"k": null}}`, "labels.k", "must not be null"},
		{`{"labels": ["k"]}`, "labels", "expected an object"},
		{`{"price": "cheap"}`, "price", `expected a number, got "cheap"`},
		{`[1, 2]`, "(body)", "expected an object, got a list"},
		{"{\"guest\": {\"name\": \"Tal\xfflinn\"}}", "guest.name", "UTF-8"},
		{"{\"labels\": {\"k\xff\": \"v\"}}", "labels", "UTF-8"},
	} {
		_, vs := read(t, tc.body)
		if len(vs) == 0 {
			t.Errorf("%s: accepted", tc.body)
			continue
		}
		if vs[0].field != tc.field || !strings.Contains(vs[0].description, tc.want) {
			t.Errorf("%s: %s: %s\nwant  %s: …%s…", tc.body, vs[0].field, vs[0].description, tc.field, tc.want)
		}
		for _, banned := range []string{"proto:", "strconv", "unexpected token", "invalid value for"} {
			if strings.Contains(vs[0].description, banned) {
				t.Errorf("%s: the description %q uses a parser's words", tc.body, vs[0].description)
			}
		}
	}
}

func TestCheckBodyListsSeveralProblems(t *testing.T) {
	_, vs := read(t, `{"seats": "x", "paid": "y", "guest": {"name": 1}}`)
	if len(vs) != 3 {
		t.Fatalf("violations = %v, want 3", vs)
	}
	if msg := violationsMessage(vs); !strings.HasPrefix(msg, "seats: ") || !strings.Contains(msg, "2 more") {
		t.Errorf("message = %q", msg)
	}
}

func TestParseJSONSaysWhatAndWhere(t *testing.T) {
	deep := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	for _, tc := range []struct{ body, want string }{
		{`{"a":`, "the body ends before the JSON value is complete at offset 5"},
		{`{"a" 1}`, "invalid character '1' after object key at offset 5"},
		{`{"a": 1} x`, "more data follows the JSON value at offset 9"},
		{`{'a': 1}`, "invalid character '\\'' at offset 1"},
		{deep, "nested more than 64 levels deep"},
	} {
		_, err := parseJSON([]byte(tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "the request body is not valid JSON: ") {
			t.Errorf("%s: %v\nwant …%s", tc.body, err, tc.want)
		}
	}
}

func TestPopulateQuery(t *testing.T) {
	md := testMessage(t, "Booking")
	fill := func(q string) (*dynamicpb.Message, []violation) {
		values, err := url.ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		m := dynamicpb.NewMessage(md)
		return m, populateQuery(m, values, func(p []string) bool { return p[0] == "amount" })
	}
	m, vs := fill("seats=4&status=checkedIn&tags=a&tags=b&guest.nationalId=EE1&labels[k]=v&labels.x=y" +
		"&start_time=2026-12-04T10:00:00Z&nope=1&amount=bound-by-the-path&statuses=booked&statuses=NOT_SENT")
	if vs != nil {
		t.Fatalf("violations: %v", vs)
	}
	if get(m, "seats").Int() != 4 || get(m, "status").Enum() != 2 || get(m, "tags").List().Len() != 2 ||
		get(m, "labels").Map().Len() != 2 || get(m, "statuses").List().Get(1).Enum() != 3 {
		t.Errorf("message = %v", m)
	}
	guest := get(m, "guest").Message()
	if guest.Get(guest.Descriptor().Fields().ByName("national_id")).String() != "EE1" {
		t.Errorf("guest = %v", guest)
	}
	start := get(m, "start_time").Message().Interface()
	if ts, ok := start.(*dynamicpb.Message); !ok || ts.Get(ts.Descriptor().Fields().ByName("seconds")).Int() != time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC).Unix() {
		t.Errorf("start_time = %v", start)
	}
	for _, tc := range []struct{ query, field, want string }{
		{"seats=99999999999", "seats", "from -2147483648 to 2147483647"},
		{"seats=1&seats=2", "seats", "was given 2 times"},
		{"bookingId=a%00b", "bookingId", "NUL"},
		{"bookingId=%ff", "bookingId", "UTF-8"},
		{"guest.name=%00", "guest.name", "NUL"},
		{"status=lost", "status", "expected one of booked, checkedIn, notSent"},
		{"start_time=12345", "start_time", "RFC 3339"},
		{"guests=x", "guests", "list of objects"},
		{"guest=x", "guest", "is an object"},
		{"labels=x", "labels", "is a map"},
		{"paid=maybe", "paid", "true or false"},
		{"bookingId=a&booking_id=b", "booking_id", `sets the same field as "bookingId"`},
	} {
		_, vs := fill(tc.query)
		if len(vs) == 0 || vs[0].field != tc.field || !strings.Contains(vs[0].description, tc.want) {
			t.Errorf("%s: %v\nwant %s: …%s…", tc.query, vs, tc.field, tc.want)
		}
	}
}

func TestSpellResponse(t *testing.T) {
	md := testMessage(t, "Booking")
	m := dynamicpb.NewMessage(md)
	if err := protojson.Unmarshal([]byte(`{"status": "BOOKING_STATUS_NOT_SENT", "statuses": ["BOOKING_STATUS_BOOKED"],
		"start_time": "2026-12-04T10:00:00.123456789Z", "bookingId": "BOOKING_STATUS_BOOKED",
		"content": {"status": "BOOKING_STATUS_BOOKED"}}`), m); err != nil {
		t.Fatal(err)
	}
	b, err := newStableJSON().Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{`"status":"notSent"`, `"statuses":["booked"]`, `"start_time":"2026-12-04T10:00:00Z"`,
		`"bookingId":"BOOKING_STATUS_BOOKED"`, `"content":{"status":"BOOKING_STATUS_BOOKED"}`} {
		if !strings.Contains(got, want) {
			t.Errorf("response %s lacks %s", got, want)
		}
	}
	// A response_body that is a repeated field arrives as a slice.
	ts := timestamppb.New(time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC))
	if b, _ := newStableJSON().Marshal([]*timestamppb.Timestamp{ts}); string(b) != `["2026-01-02T03:04:05Z"]` {
		t.Errorf("list of times = %s", b)
	}
}

func TestBodyType(t *testing.T) {
	for _, tc := range []struct{ ct, body, want string }{
		{"", `{"a":1}`, "json"},
		{"application/json; charset=utf-8", `{}`, "json"},
		{"application/merge-patch+json", `{}`, "json"},
		{"application/x-www-form-urlencoded", `{"email":"a@b"}`, "json"}, // curl -d
		{"application/x-www-form-urlencoded", `email=a%40b`, "form"},
		{"text/plain", `{}`, ""},
		{"nonsense;;", `{}`, ""},
	} {
		if got := bodyType(tc.ct, []byte(tc.body)); got != tc.want {
			t.Errorf("bodyType(%q, %q) = %q, want %q", tc.ct, tc.body, got, tc.want)
		}
	}
}

func TestEnumSpelling(t *testing.T) {
	ed := testMessage(t, "Booking").Fields().ByName("status").Enum()
	for num, want := range map[protoreflect.EnumNumber]string{0: "unspecified", 1: "booked", 2: "checkedIn", 3: "notSent", 9: "9"} {
		if got := EnumJSONName(ed, num); got != want {
			t.Errorf("EnumJSONName(%d) = %q, want %q", num, got, want)
		}
	}
	for in, want := range map[string]protoreflect.EnumNumber{"notSent": 3, "NOTSENT": 3, "not_sent": 3, "BOOKING_STATUS_NOT_SENT": 3, "2": 2, " booked ": 1} {
		if got, ok := parseEnum(ed, in); !ok || got != want {
			t.Errorf("parseEnum(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "lost", "7", "BOOKING_STATUS"} {
		if _, ok := parseEnum(ed, in); ok {
			t.Errorf("parseEnum(%q) accepted", in)
		}
	}
	for in, want := range map[string]string{"MessageStatus": "MESSAGE_STATUS", "HTTPMethod": "HTTP_METHOD", "Role": "ROLE", "ABTest": "AB_TEST"} {
		if got := upperSnake(in); got != want {
			t.Errorf("upperSnake(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCodeLabelAgreesWithStatus(t *testing.T) {
	for _, tc := range []struct {
		status int
		code   int
		want   string
	}{
		{400, 3, "INVALID_ARGUMENT"}, {404, 5, "NOT_FOUND"}, {405, 12, "METHOD_NOT_ALLOWED"},
		{413, 3, "PAYLOAD_TOO_LARGE"}, {415, 3, "UNSUPPORTED_MEDIA_TYPE"}, {405, 3, "METHOD_NOT_ALLOWED"},
		{409, 10, "ABORTED"}, {418, 3, "IM_A_TEAPOT"},
	} {
		if got := codeLabel(tc.status, codesOf(tc.code)); got != tc.want {
			t.Errorf("codeLabel(%d, %d) = %q, want %q", tc.status, tc.code, got, tc.want)
		}
	}
}

func codesOf(i int) codes.Code { return codes.Code(i) }
