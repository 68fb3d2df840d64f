package pubsub_test

import (
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/pubsub"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestMetricsCountPublishesAndShareARegistry(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	e := start(t, func(o *pubsub.Options) { o.Metrics = reg })
	if _, err := pubsub.New(e.opts); err != nil { // a second Broker on the same registry
		t.Fatal(err)
	}
	e.createBirthType()
	e.publish(birth)
	e.do("POST", roomPath+"/pub/v1/newBirth", publisher, `{"event": {}}`)
	got, err := testutil.GatherAndCount(reg, "govstack_im_pubsub_publish_total")
	if err != nil || got != 2 {
		t.Errorf("publish_total has %d series (%v), want accepted and invalid", got, err)
	}
}
