package mediate

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/prometheus/client_golang/prometheus"
)

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func testMetrics(t *testing.T) *rest.Metrics {
	m, err := rest.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// mergeCtx gives values from base, falling back to the request context's (where rest.Info lives).
func mergeCtx(base, withInfo context.Context) context.Context {
	return merged{Context: base, other: withInfo}
}

type merged struct {
	context.Context
	other context.Context
}

func (m merged) Value(k any) any {
	if v := m.Context.Value(k); v != nil {
		return v
	}
	return m.other.Value(k)
}
