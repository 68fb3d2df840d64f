package site

import (
	"net/http"
	"strings"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// Granting and revoking a right on a service: the grant form and each revoke button post here; the first post
// shows what would change and asks to confirm, the confirming post (confirm=yes) makes the change.

// rightChange is the confirmation page's data.
type rightChange struct {
	Action, Client, Endpoint, Service, Provider, Link, Post string
	Allow                                                   bool
}

// changeRight checks the form, asks to confirm, and then grants or revokes.
func (s *Site) changeRight(c *Ctx) {
	ref, ok := serviceFromPath(c)
	if !ok {
		s.notFound(c)
		return
	}
	f := FormFrom(c.R.PostForm, "action", "client", "endpoint")
	allow := f.Value("action") == "allow"
	if !allow && f.Value("action") != "deny" {
		c.fail(http.StatusBadRequest, "error.bad_request")
		return
	}
	grantee, ok := parseGrantee(f.Value("client"))
	if !ok {
		f.Fail("client", c.Loc.T("admin.im.client.invalid"))
	}
	endpoint := f.Value("endpoint")
	if endpoint != "" && endpoint != "*" && !strings.HasPrefix(endpoint, "/") {
		f.Fail("endpoint", c.Loc.T("admin.im.endpoint.invalid"))
	}
	if f.HasErrors() {
		s.renderIMService(c, http.StatusUnprocessableEntity, f)
		return
	}
	if c.R.PostForm.Get("confirm") != "yes" {
		s.confirmRight(c, ref, f, allow)
		return
	}
	var endpoints []string
	if endpoint != "" {
		endpoints = []string{endpoint}
	}
	if err := s.api.ChangeRight(c.R.Context(), c.Data.AccessToken, allow, ref, grantee, endpoints); err != nil {
		rightFields(err).apply(c, f, err)
		s.renderIMService(c, http.StatusUnprocessableEntity, f)
		return
	}
	if allow {
		c.Flash("flash.right_granted", f.Value("client"))
	} else {
		c.Flash("flash.right_revoked", f.Value("client"))
	}
	c.Redirect(serviceLink(ref))
}

func (s *Site) confirmRight(c *Ctx, ref gatewayapi.ServiceRef, f *Form, allow bool) {
	d := rightChange{Action: f.Value("action"), Client: f.Value("client"), Endpoint: f.Value("endpoint"), Service: ref.Service,
		Provider: strings.Join([]string{ref.Instance, ref.Class, ref.Member, ref.Application}, "/"), Link: serviceLink(ref),
		Post: serviceLink(ref) + "/rights", Allow: allow}
	title := "admin.im.confirm.revoke_title"
	if allow {
		title = "admin.im.confirm.grant_title"
	}
	c.Render("admin-im-confirm", title, f, d)
}

// parseGrantee reads INSTANCE/CLASS/MEMBER/SUBSYSTEM (or with colons) or group:NAME.
func parseGrantee(s string) (gatewayapi.Grantee, bool) {
	if g, ok := strings.CutPrefix(s, "group:"); ok {
		return gatewayapi.Grantee{Group: g}, g != "" && !strings.ContainsAny(g, "/: ")
	}
	p := strings.Split(strings.ReplaceAll(s, ":", "/"), "/")
	if len(p) != 4 || slicesHasEmpty(p) || strings.ContainsAny(s, " ") {
		return gatewayapi.Grantee{}, false
	}
	return gatewayapi.Grantee{Instance: p[0], Class: p[1], Member: p[2], Application: p[3]}, true
}

// rightFields puts the IM's refusals next to the fields: a client it does not know (404) on the client, an
// endpoint it refuses (400) on the endpoint.
func rightFields(err error) fieldMap {
	m := fieldMap{prefix: "admin.im", fields: map[string]string{}}
	switch gatewayapi.StatusOf(err) {
	case http.StatusNotFound:
		m.reasons = map[string]reasonError{"": {"client", "admin.im.client.unknown"}}
	case http.StatusBadRequest:
		m.reasons = map[string]reasonError{"": {"endpoint", "admin.im.endpoint.refused"}}
	}
	return m
}
