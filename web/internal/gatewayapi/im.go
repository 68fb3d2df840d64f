package gatewayapi

import (
	"context"
	"net/http"
	"time"
)

// The Information Mediator's own administration APIs (docs/im-operator-guide.md): the configuration, access
// rights and the message log's verification. The IM accepts them from the portal for a signed-in person
// whose token carries the role admin (ADR 0016).

// IMConfig is the IM's registry as GET /api/v1/config describes it: members, their subsystems
// (applications), each one's services and who may call them.
type IMConfig struct {
	Instance string     `json:"instance"`
	Members  []IMMember `json:"members"`
}

// IMMember is one member organisation of the IM.
type IMMember struct {
	Instance     string          `json:"instance"`
	Name         string          `json:"name"`
	Class        string          `json:"class"`
	Code         string          `json:"code"`
	Applications []IMApplication `json:"applications"`
}

// IMApplication is a member's subsystem.
type IMApplication struct {
	ID       string      `json:"id"`
	Services []IMService `json:"services"`
}

// IMService is a service a subsystem provides.
type IMService struct {
	ID      string    `json:"id"`
	BB      string    `json:"bb"`
	Enabled *bool     `json:"enabled"`
	Rights  []IMRight `json:"rights"`
}

// IMRight is one grant on a service: to a client (member, subsystem) or a group, for some endpoints ("*"
// or none: the whole service).
type IMRight struct {
	Instance    string   `json:"instance,omitempty"`
	MemberClass string   `json:"memberClass,omitempty"`
	Member      string   `json:"member,omitempty"`
	Application string   `json:"application,omitempty"`
	Group       string   `json:"group,omitempty"`
	Endpoints   []string `json:"endpoints,omitempty"`
}

// IMConfiguration reads the IM's registry.
func (c *Client) IMConfiguration(ctx context.Context, token string) (IMConfig, error) {
	var out IMConfig
	err := c.do(ctx, call{method: http.MethodGet, path: "/api/v1/config", token: token, out: &out})
	return out, err
}

// ServiceRef names a service: its provider subsystem and code.
type ServiceRef struct {
	Instance, Class, Member, Application, Service string
}

// Grantee is who a right is for: a client (instance, class, member, application) or a group.
type Grantee struct {
	Instance, Class, Member, Application, Group string
}

// ChangeRight grants (allow) or revokes a right of grantee on the service, for endpoints (none: the whole
// service).
func (c *Client) ChangeRight(ctx context.Context, token string, allow bool, s ServiceRef, g Grantee, endpoints []string) error {
	path := "/api/v1/rights/deny"
	if allow {
		path = "/api/v1/rights/allow"
	}
	right := map[string]any{"instanceId": g.Instance, "memberClass": g.Class, "memberCode": g.Member,
		"applicationId": g.Application, "group": g.Group}
	if len(endpoints) > 0 {
		right["endpoints"] = endpoints
	}
	body := []map[string]any{{"instanceId": s.Instance, "memberClass": s.Class, "memberCode": s.Member,
		"applicationId": s.Application, "serviceId": s.Service, "rights": []map[string]any{right}}}
	return c.do(ctx, call{method: http.MethodPatch, path: path, token: token, body: body})
}

// LogVerification is the IM's answer to a message-log verification.
type LogVerification struct {
	OK                 bool          `json:"ok"`
	From               time.Time     `json:"from"`
	To                 time.Time     `json:"to"`
	RecordsChecked     int64         `json:"recordsChecked"`
	LimitReached       bool          `json:"limitReached"`
	CheckpointsChecked bool          `json:"checkpointsChecked"`
	CheckpointsNote    string        `json:"checkpointsNote"`
	ChainsOutside      int           `json:"chainsOutsideWindow"`
	Chains             []LogChain    `json:"chains"`
	FirstBroken        *BrokenRecord `json:"firstBroken"`
}

// LogChain is one chain the verification walked.
type LogChain struct {
	Chain      string        `json:"chain"`
	Kind       string        `json:"kind"`
	FirstSeq   int64         `json:"firstSeq"`
	HeadSeq    int64         `json:"headSeq"`
	Records    int64         `json:"recordsChecked"`
	Dropped    int64         `json:"dropped"`
	Checkpoint int64         `json:"checkpointSeq"`
	Partial    bool          `json:"partial"`
	Problem    *BrokenRecord `json:"problem"`
}

// BrokenRecord is the first broken record of a chain.
type BrokenRecord struct {
	Chain  string `json:"chain"`
	Seq    int64  `json:"seq"`
	Kind   string `json:"kind"`
	Detail string `json:"detail"`
}

// VerifyLog runs the message log's verification over the records logged in [from, to).
func (c *Client) VerifyLog(ctx context.Context, token string, from, to time.Time) (LogVerification, error) {
	var out LogVerification
	err := c.do(ctx, call{method: http.MethodGet, token: token, out: &out, path: "/api/v1/msglog/verification" +
		query("from", from.UTC().Format(time.RFC3339), "to", to.UTC().Format(time.RFC3339))})
	return out, err
}
