package pubsub_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/pubsub"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/natsbus"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

const (
	recordCreated = "govstack.registries.v1.record.created"
	registriesBB  = "/r1/GOVSTACK/GOV/GOVSTACK/registries"
)

func TestBBEventReachesPullAndPushSubscribers(t *testing.T) {
	t.Parallel()
	e := start(t, func(o *pubsub.Options) {
		o.BBEvents = []pubsub.BBEventType{pubsub.BBEvent("registries", recordCreated,
			imident.Client{Instance: "GOVSTACK", Class: "GOV", Member: "GOVSTACK", Subsystem: "registries"})}
	})
	ctx := context.Background()
	subs := registriesBB + "/api/v1/subs/" + recordCreated

	// The BB has not started: its stream does not exist yet.
	e.must(http.StatusServiceUnavailable, "POST", subs, subscriber, `{"delivery": "PULL"}`)
	if _, err := natsbus.EnsureStream(ctx, e.js, "registries"); err != nil {
		t.Fatal(err)
	}

	var names []string
	decode(t, e.must(http.StatusOK, "GET", registriesBB+"/api/v1/eventType", subscriber, ""), &names)
	if len(names) != 1 || names[0] != recordCreated {
		t.Errorf("event types of the registries room = %v", names)
	}
	e.must(http.StatusForbidden, "POST", subs, denied, `{"delivery": "PULL"}`)
	e.must(http.StatusOK, "POST", subs, subscriber, `{"delivery": "PULL"}`)
	rc := newReceiver(t, 200)
	e.must(http.StatusOK, "POST", subs, other, `{"delivery": "PUSH", "endpoint": "`+rc.srv.URL+`"}`)
	e.must(http.StatusForbidden, "POST", registriesBB+"/pub/v1/"+recordCreated, manager, `{"event": {}}`)
	e.must(http.StatusBadRequest, "DELETE", registriesBB+"/api/v1/eventType/"+recordCreated, manager, "")

	// The registries BB's outbox publishes like this (CloudEvents binary mode, protojson body).
	const id = "4a1c2d8e-0000-4000-8000-000000000001"
	m := nats.NewMsg(recordCreated)
	m.Data = []byte(`{"registryName":"births","recordId":"r-1"}`)
	m.Header.Set(jetstream.MsgIDHeader, id)
	m.Header.Set("ce-id", id)
	if _, err := e.js.PublishMsg(ctx, m); err != nil {
		t.Fatal(err)
	}

	var item struct {
		ID, EventType string
		Event         map[string]string
	}
	decode(t, e.must(http.StatusOK, "GET", registriesBB+"/pull/v1/"+recordCreated+"?wait=5", subscriber, ""), &item)
	if item.ID != id || item.EventType != recordCreated || item.Event["recordId"] != "r-1" {
		t.Errorf("pulled %+v", item)
	}
	e.must(http.StatusNoContent, "DELETE", registriesBB+"/pull/v1/"+recordCreated+"/"+id, subscriber, "")

	select {
	case body := <-rc.bodies:
		if !strings.Contains(string(body), `"recordId":"r-1"`) || !strings.Contains(string(body), id) {
			t.Errorf("pushed %s", body)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the BB event was never pushed")
	}
}

func TestSubscriptions(t *testing.T) {
	t.Parallel()
	e := start(t, func(o *pubsub.Options) {
		o.ValidateEndpoint = func(u *url.URL) error {
			if u.Hostname() == "metadata.internal" {
				return errors.New("internal addresses are not allowed")
			}
			return nil
		}
	})
	e.createBirthType()
	subs := roomPath + "/api/v1/subs/newBirth"

	e.must(http.StatusForbidden, "POST", subs, denied, `{"delivery": "PULL"}`)
	e.must(http.StatusUnauthorized, "POST", subs, "", `{"delivery": "PULL"}`)
	e.must(http.StatusNotFound, "POST", roomPath+"/api/v1/subs/unknown", subscriber, `{"delivery": "PULL"}`)
	e.must(http.StatusBadRequest, "POST", subs, subscriber, `{"delivery": "PUSH"}`) // no endpoint
	e.must(http.StatusBadRequest, "POST", subs, subscriber, `{"delivery": "PUSH", "endpoint": "ftp://x"}`)
	e.must(http.StatusBadRequest, "POST", subs, subscriber, `{"delivery": "MAIL"}`)
	e.must(http.StatusBadRequest, "POST", subs, subscriber, `{"endpoint": "http://metadata.internal/x"}`)
	e.must(http.StatusBadRequest, "POST", subs, subscriber, `{"eventType": "other", "delivery": "PULL"}`)
	e.must(http.StatusOK, "POST", subs, subscriber, `{"eventType": "newBirth", "delivery": "PULL", "options": {"TTL": 60}}`)
	e.must(http.StatusConflict, "POST", subs, subscriber, `{"delivery": "PULL"}`)

	var s struct {
		ID, EventType, Delivery string
		Endpoint                *string
		SubscriberID            struct{ MemberCode string }
		Options                 struct {
			TTL  int
			FIFO bool
		}
	}
	decode(t, e.must(http.StatusOK, "GET", subs, subscriber, ""), &s)
	if s.ID == "" || s.Delivery != "PULL" || s.Options.TTL != 60 || s.SubscriberID.MemberCode != "POL" {
		t.Errorf("subscription = %+v", s)
	}
	e.must(http.StatusNotFound, "GET", subs, other, "")
	decode(t, e.must(http.StatusCreated, "PATCH", subs, subscriber,
		`{"delivery": "PUSH", "endpoint": "http://127.0.0.1:1/x", "options": {"FIFO": true}}`), &s)
	if s.Delivery != "PUSH" || s.Endpoint == nil || !s.Options.FIFO || s.Options.TTL != 60 {
		t.Errorf("patched subscription = %+v", s)
	}
	e.must(http.StatusConflict, "GET", roomPath+"/pull/v1/newBirth", subscriber, "") // it pushes now

	var list []map[string]any
	decode(t, e.must(http.StatusOK, "GET", roomPath+"/api/v1/subs", subscriber, ""), &list)
	if len(list) != 1 {
		t.Errorf("list = %v", list)
	}
	e.must(http.StatusNoContent, "DELETE", subs, subscriber, "")
	e.must(http.StatusNotFound, "DELETE", subs, subscriber, "")
	if _, err := e.js.Consumer(context.Background(), pubsub.StreamName, "im_pubsub_"+s.ID); err == nil {
		t.Error("the consumer of a deleted subscription still exists")
	}
}
