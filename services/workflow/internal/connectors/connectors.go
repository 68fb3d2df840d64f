// Package connectors are the Workflow BB's built-in workers: service tasks of well-known job types that call
// the other building blocks through the Information Mediator (platform/imclient), under the Workflow BB's own
// IM identity and the rights the catalog grants it. Each call carries Idempotency-Key = the job's id, so a
// job done again after a crash (its lease ran out before it completed) does not act twice.
package connectors

import (
	"context"
	"fmt"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/govstackbb/marketplace/platform/idempotency"

	"github.com/govstackbb/marketplace/services/workflow/internal/app"
)

// The job types the connectors do.
const (
	TypeSendMessage     = "govstack-messaging-send"
	TypeSetDeadline     = "govstack-scheduling-deadline"
	TypeReadRecord      = "govstack-registries-read"
	TypeWriteRecord     = "govstack-registries-write"
	defaultRegistryVers = "1.0"
)

// withKey is ctx carrying the job's id as the call's Idempotency-Key, and extra metadata pairs.
func withKey(ctx context.Context, job app.ConnectorJob, kv ...string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, append([]string{idempotency.MetadataKey, job.ID}, kv...)...)
}

// failure turns a call's error into a job failure: a refusal the same inputs would meet again (bad input,
// missing rights, not found) is permanent — an incident at once; anything else is retried.
func failure(what string, err error) error {
	st, _ := status.FromError(err)
	switch st.Code() {
	case codes.InvalidArgument, codes.NotFound, codes.PermissionDenied, codes.Unauthenticated, codes.FailedPrecondition,
		codes.AlreadyExists, codes.OutOfRange, codes.Unimplemented:
		return app.Permanent("%s: %s (%s)", what, st.Message(), st.Code())
	}
	return fmt.Errorf("%s: %s (%s)", what, st.Message(), st.Code())
}

// text reads a string input (a header wins over a variable of the same name when asked for).
func text(job app.ConnectorJob, name string) string {
	if v, ok := job.Variables[name].(string); ok {
		return strings.TrimSpace(v)
	}
	return strings.TrimSpace(job.Headers[name])
}

// list reads a list of strings: a JSON list, or one string of comma-separated items.
func list(job app.ConnectorJob, name string) ([]string, error) {
	switch v := job.Variables[name].(type) {
	case nil:
		return nil, nil
	case string:
		var out []string
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, item := range v {
			s, ok := item.(string)
			if !ok {
				return nil, app.Permanent("%s holds %v (%T): a list of strings is expected", name, item, item)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, app.Permanent("%s is %T: a list of strings is expected", name, job.Variables[name])
}

// object reads a JSON object input.
func object(job app.ConnectorJob, name string) (map[string]any, error) {
	switch v := job.Variables[name].(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return v, nil
	}
	return nil, app.Permanent("%s is %T: an object is expected", name, job.Variables[name])
}

// instant reads a date-time input (RFC 3339).
func instant(job app.ConnectorJob, name string) (time.Time, error) {
	s := text(job, name)
	if s == "" {
		return time.Time{}, app.Permanent("%s is required: an RFC 3339 date-time", name)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, app.Permanent("%s %q is not an RFC 3339 date-time", name, s)
	}
	return t, nil
}
