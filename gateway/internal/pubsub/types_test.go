package pubsub_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/pubsub"
	"github.com/jackc/pgx/v5"
)

func TestEventTypes(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var audited []string
	e := start(t, func(o *pubsub.Options) {
		o.Audit = func(_ context.Context, _ pgx.Tx, actor, action, target string, _ any) error {
			mu.Lock()
			defer mu.Unlock()
			audited = append(audited, actor+" "+action+" "+target)
			return nil
		}
	})
	path := roomPath + "/api/v1/eventType"
	e.must(http.StatusNoContent, "GET", path, subscriber, "")
	e.createBirthType()
	e.must(http.StatusConflict, "POST", path, manager, `{"eventType": "newBirth", "schema": {"type": "object"}}`)

	out := e.must(http.StatusBadRequest, "POST", path, manager, `{"eventType": "bad", "schema": {"type": 12}}`)
	if !strings.Contains(string(out), "schema does not compile") {
		t.Errorf("bad schema answer does not say why: %s", out)
	}
	e.must(http.StatusBadRequest, "POST", path, manager, `{"eventType": "no.dots", "schema": {}}`)
	e.must(http.StatusBadRequest, "POST", path, manager, `{"eventType": "noSchema"}`)
	e.must(http.StatusForbidden, "POST", path, publisher, `{"eventType": "x", "schema": {}}`)
	e.must(http.StatusUnauthorized, "POST", path, "", `{"eventType": "x", "schema": {}}`)

	var names []string
	decode(t, e.must(http.StatusOK, "GET", path, subscriber, ""), &names)
	if len(names) != 1 || names[0] != "newBirth" {
		t.Errorf("list = %v, want [newBirth]", names)
	}
	var et struct {
		EventType string
		Schema    map[string]any
	}
	decode(t, e.must(http.StatusOK, "GET", path+"/newBirth", subscriber, ""), &et)
	if et.EventType != "newBirth" || et.Schema["type"] != "object" {
		t.Errorf("get = %+v", et)
	}
	e.must(http.StatusForbidden, "DELETE", path+"/newBirth", publisher, "")
	e.must(http.StatusNoContent, "DELETE", path+"/newBirth", manager, "")
	e.must(http.StatusNotFound, "GET", path+"/newBirth", manager, "")
	e.must(http.StatusNotFound, "DELETE", path+"/newBirth", manager, "")

	mu.Lock()
	defer mu.Unlock()
	want := []string{manager + " pubsub.eventType.create " + manager + "/newBirth",
		manager + " pubsub.eventType.delete " + manager + "/newBirth"}
	if strings.Join(audited, "\n") != strings.Join(want, "\n") {
		t.Errorf("audited %q, want %q", audited, want)
	}
}

func TestPublishValidates(t *testing.T) {
	t.Parallel()
	e := start(t, nil)
	e.createBirthType()
	pub := roomPath + "/pub/v1/newBirth"

	id := e.publish(birth)
	if v := e.status(id); v.ID != id || v.Sequence == 0 || !strings.Contains(string(v.Event), "Jane Doe") {
		t.Errorf("status of a fresh event = %+v", v)
	}

	out := e.must(http.StatusBadRequest, "POST", pub, publisher,
		`{"eventType": "newBirth", "event": {"dateTime": "x", "gender": "X", "mother": "M", "place": "P"}}`)
	if !strings.Contains(string(out), `/gender`) {
		t.Errorf("invalid payload answer does not name the failing pointer: %s", out)
	}
	out = e.must(http.StatusBadRequest, "POST", pub, publisher, `{"eventType": "newBirth", "event": {"gender": "M"}}`)
	if !strings.Contains(string(out), `\"/dateTime\"`) {
		t.Errorf("missing property is not named: %s", out)
	}
	e.must(http.StatusBadRequest, "POST", pub, publisher, `{"eventType": "newBirth"}`)
	e.must(http.StatusBadRequest, "POST", pub, publisher, `{"eventType": "other", "event": `+birth+`}`)
	e.must(http.StatusBadRequest, "POST", pub, publisher, `not json`)
	e.must(http.StatusNotFound, "POST", roomPath+"/pub/v1/unknown", publisher, `{"event": {}}`)
	e.must(http.StatusForbidden, "POST", pub, denied, `{"event": `+birth+`}`)
	e.must(http.StatusUnauthorized, "POST", pub, "", `{"event": `+birth+`}`)
	big := `{"event": {"mother": "` + strings.Repeat("x", 300<<10) + `"}}`
	e.must(http.StatusRequestEntityTooLarge, "POST", pub, publisher, big)

	// A publisher-chosen id makes retries safe: one event, the same answer.
	const own = "0b6f5a3e-5c1c-4b7e-9a51-6d3f1f7f2a10"
	body := `{"id": "` + own + `", "event": ` + birth + `}`
	for range 2 {
		var res struct{ ID string }
		decode(t, e.must(http.StatusCreated, "POST", pub, publisher, body), &res)
		if res.ID != own {
			t.Fatalf("id = %s, want %s", res.ID, own)
		}
	}
	e.must(http.StatusConflict, "POST", pub, other, body)
	var events int
	if err := e.pool.QueryRow(t.Context(), `SELECT count(*) FROM im_pubsub_event`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if events != 2 {
		t.Errorf("%d events stored, want 2", events)
	}

	// Status and deletion belong to the publisher (or the room's manager).
	e.must(http.StatusForbidden, "GET", pub+"/"+id, other, "")
	e.must(http.StatusOK, "GET", pub+"/"+id, manager, "")
	e.must(http.StatusNotFound, "GET", pub+"/not-a-uuid", publisher, "")
	e.must(http.StatusNoContent, "DELETE", pub+"/"+id, publisher, "")
	if v := e.status(id); !v.Cancelled {
		t.Errorf("deleted event is not cancelled: %+v", v)
	}
}
