package workflow

import (
	"fmt"
	"strings"

	"github.com/govstackbb/marketplace/platform/imclient"
	"github.com/govstackbb/marketplace/platform/imident"

	"github.com/govstackbb/marketplace/services/workflow/internal/app"
	"github.com/govstackbb/marketplace/services/workflow/internal/connectors"
)

// The job types the built-in connectors do.
const (
	JobSendMessage  = connectors.TypeSendMessage
	JobSetDeadline  = connectors.TypeSetDeadline
	JobReadRecord   = connectors.TypeReadRecord
	JobWriteRecord  = connectors.TypeWriteRecord
	JobPublishEvent = app.TypePublishEvent
)

// buildConnectors makes the built-in workers: they call the other BBs through the IM (dialled lazily, so
// a BB started before the IM still starts) as this BB's IM client. A call made while the IM is unreachable
// waits for it (up to the call's deadline) rather than spending one of the job's retries; a stopping
// connector hands such a job back untouched.
func buildConnectors(cfg Config, deps Deps) ([]app.Connector, error) {
	groups, err := parseGroups(cfg.GroupEmails)
	if err != nil {
		return nil, err
	}
	conn := deps.IM
	if conn == nil {
		me, err := imident.Parse(cfg.IMClient)
		if err != nil {
			return nil, fmt.Errorf("GOVSTACK_WORKFLOW_IM_CLIENT: %w", err)
		}
		dialled, err := imclient.Dial(imclient.Options{Addr: cfg.IMAddr, Client: me, APIKey: cfg.IMAPIKey, WaitForIM: true})
		if err != nil {
			return nil, err
		}
		conn = dialled
	}
	return []app.Connector{
		connectors.NewMessaging(conn, cfg.EmailAPIKey, groups),
		connectors.NewScheduling(conn),
		connectors.NewRegistries(conn),
		app.PublishEvent{},
	}, nil
}

// parseGroups reads GOVSTACK_WORKFLOW_GROUP_EMAILS: group=a@x;b@x,group2=c@x.
func parseGroups(s string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, entry := range strings.Split(s, ",") {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		name, addrs, ok := strings.Cut(entry, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("GOVSTACK_WORKFLOW_GROUP_EMAILS: %q is not group=address;address", entry)
		}
		for _, a := range strings.Split(addrs, ";") {
			if a = strings.TrimSpace(a); a != "" {
				if !strings.Contains(a, "@") {
					return nil, fmt.Errorf("GOVSTACK_WORKFLOW_GROUP_EMAILS: %q of group %s is not an e-mail address", a, name)
				}
				out[name] = append(out[name], a)
			}
		}
	}
	return out, nil
}
