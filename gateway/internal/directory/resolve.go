package directory

import (
	"fmt"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/imident"
)

func invalid(msg string) error { return apierr.Invalid("INVALID_CONFIGURATION", msg) }

// resolver finds the member a configuration right names. The specification's example names members by name
// ("LocalMunicipality") and without a class, so a right's member is matched by code first, then by name,
// among the registered members and those the body describes; it must match exactly one.
type resolver struct {
	instance string
	members  []registry.Member
}

func newResolver(instance string, known []registry.MemberEntry, described []registry.Member) resolver {
	r := resolver{instance: instance}
	seen := map[string]bool{}
	for _, m := range described {
		seen[m.String()] = true
		r.members = append(r.members, m)
	}
	for _, e := range known {
		if !seen[e.Member.String()] {
			r.members = append(r.members, e.Member)
		}
	}
	return r
}

func (r resolver) subject(cr confRight) (registry.Subject, error) {
	if cr.Group != "" {
		if cr.Member != "" || cr.Application != "" {
			return registry.Subject{}, invalid("a right names a group or a member's application, not both")
		}
		return registry.Subject{Group: cr.Group}, nil
	}
	if cr.Member == "" || cr.Application == "" {
		return registry.Subject{}, invalid("a right needs member and application (or group)")
	}
	inst := cr.Instance
	if inst == "" {
		inst = r.instance
	}
	m, err := r.member(inst, cr.MemberClass, cr.Member)
	if err != nil {
		return registry.Subject{}, err
	}
	return registry.Subject{Client: imident.Client{Instance: m.Instance, Class: m.Class, Member: m.Code, Subsystem: cr.Application}}, nil
}

func (r resolver) member(instance, class, codeOrName string) (registry.Member, error) {
	for _, byName := range []bool{false, true} {
		var found []registry.Member
		for _, m := range r.members {
			key := m.Code
			if byName {
				key = m.Name
			}
			if m.Instance == instance && (class == "" || m.Class == class) && key == codeOrName {
				found = append(found, m)
			}
		}
		switch len(found) {
		case 1:
			return found[0], nil
		case 0:
			continue
		default:
			return registry.Member{}, invalid(fmt.Sprintf("member %q is ambiguous in instance %s: add memberClass", codeOrName, instance))
		}
	}
	return registry.Member{}, invalid(fmt.Sprintf("a right names member %q, which is neither registered nor described in instance %s", codeOrName, instance))
}
