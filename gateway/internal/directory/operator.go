package directory

import (
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/platform/imident"
)

// registerOperator mounts the operator endpoints: credentials, roles, groups, service switches and
// descriptions. All need the admin role, except that a provider may describe its own services.
func (h *Handler) registerOperator(route func(string, http.HandlerFunc)) {
	const client = "/api/v1/clients/{clientId}"
	route("PUT "+client, h.withClient(h.registerClient))
	route("POST "+client+"/apikeys", h.withClient(h.issueKey))
	route("GET "+client+"/apikeys", h.withClient(h.listKeys))
	route("DELETE "+client+"/apikeys/{id}", h.withClient(h.revokeKey))
	route("POST "+client+"/certificates", h.withClient(h.registerCert))
	route("GET "+client+"/certificates", h.withClient(h.listCerts))
	route("DELETE "+client+"/certificates/{fingerprint}", h.withClient(h.revokeCert))
	route("PUT "+client+"/roles/{role}", h.withClient(h.grantRole))
	route("DELETE "+client+"/roles/{role}", h.withClient(h.revokeRole))
	route("PATCH "+client+"/services/{serviceCode}", h.withClient(h.patchService))
	route("PUT "+client+"/services/{serviceCode}/openapi", h.putServiceOpenAPI) // admins and the provider
	route("PUT /api/v1/groups/{group}", h.putGroup)
	route("PUT /api/v1/groups/{group}/members/{clientId}", h.withClient(h.groupMember(true)))
	route("DELETE /api/v1/groups/{group}/members/{clientId}", h.withClient(h.groupMember(false)))
}

type clientHandler func(w http.ResponseWriter, r *http.Request, c imident.Client)

// withClient checks the caller is an admin and parses {clientId}.
func (h *Handler) withClient(fn clientHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := h.admin(w, r); !ok {
			return
		}
		c, err := parseClientID(r.PathValue("clientId"))
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		fn(w, r, c)
	}
}

// status serves GET /api/v1/status: the registry answers, and how much it holds.
func (h *Handler) status(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.admin(w, r); !ok {
		return
	}
	members, err := h.Store.ListClients(r.Context(), "")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	services, err := h.Store.ListServices(r.Context(), imident.Client{})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	subsystems, enabled := 0, 0
	for _, m := range members {
		subsystems += len(m.Subsystems)
	}
	for _, s := range services {
		if s.Enabled {
			enabled++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "UP", "instance": h.Instance, "members": len(members),
		"subsystems": subsystems, "services": len(services), "enabledServices": enabled})
}

// registerClient serves PUT /api/v1/clients/{clientId}: registers the subsystem (and its member; body
// {"memberName": "..."} optional).
func (h *Handler) registerClient(w http.ResponseWriter, r *http.Request, c imident.Client) {
	var body struct {
		MemberName string `json:"memberName"`
	}
	if r.ContentLength != 0 && !decode(w, r, &body) {
		return
	}
	m := registry.MemberOf(c)
	m.Name = body.MemberName
	if err := h.Store.RegisterMember(r.Context(), m); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.Store.RegisterSubsystem(r.Context(), c); err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"client": c.String()})
}

type keyView struct {
	ID        string     `json:"id"`
	Client    string     `json:"client"`
	CreatedAt time.Time  `json:"createdAt"`
	RevokedAt *time.Time `json:"revokedAt,omitempty"`
}

// issueKey returns a new API key once: only its hash is kept.
func (h *Handler) issueKey(w http.ResponseWriter, r *http.Request, c imident.Client) {
	key, id, err := h.Store.IssueAPIKey(r.Context(), c)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, map[string]string{"id": id, "client": c.String(), "key": key,
		"note": "store the key now: the IM keeps only its hash and cannot show it again; send it as X-GovStack-Api-Key"})
}

func (h *Handler) listKeys(w http.ResponseWriter, r *http.Request, c imident.Client) {
	keys, err := h.Store.ListAPIKeys(r.Context(), c)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := []keyView{}
	for _, k := range keys {
		out = append(out, keyView{ID: k.ID, Client: c.String(), CreatedAt: k.CreatedAt, RevokedAt: k.RevokedAt})
	}
	writeJSON(w, http.StatusOK, map[string]any{"apiKeys": out})
}

func (h *Handler) revokeKey(w http.ResponseWriter, r *http.Request, c imident.Client) {
	if err := h.Store.RevokeAPIKey(r.Context(), c, r.PathValue("id")); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// registerCert takes {"certificate": "<PEM>"} or {"fingerprint": "<hex SHA-256 of the DER>"}.
func (h *Handler) registerCert(w http.ResponseWriter, r *http.Request, c imident.Client) {
	var body struct {
		Certificate string `json:"certificate"`
		Fingerprint string `json:"fingerprint"`
	}
	if !decode(w, r, &body) {
		return
	}
	fp := body.Fingerprint
	switch {
	case (body.Certificate == "") == (body.Fingerprint == ""):
		badRequest(w, r, `send either "certificate" (PEM) or "fingerprint" (hex SHA-256 of the DER encoding)`)
		return
	case body.Certificate != "":
		block, _ := pem.Decode([]byte(body.Certificate))
		if block == nil || block.Type != "CERTIFICATE" {
			badRequest(w, r, `"certificate" must be one PEM block "-----BEGIN CERTIFICATE-----"`)
			return
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			badRequest(w, r, `"certificate" is not a valid X.509 certificate: `+err.Error())
			return
		}
		fp = registry.Fingerprint(block.Bytes)
	}
	if err := h.Store.RegisterCertificate(r.Context(), c, fp); err != nil {
		h.writeError(w, r, err)
		return
	}
	fp, _ = registry.NormaliseFingerprint(fp)
	writeJSON(w, http.StatusCreated, map[string]string{"client": c.String(), "fingerprint": fp})
}

func (h *Handler) listCerts(w http.ResponseWriter, r *http.Request, c imident.Client) {
	certs, err := h.Store.ListCertificates(r.Context(), c)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	type view struct {
		Fingerprint string     `json:"fingerprint"`
		CreatedAt   time.Time  `json:"createdAt"`
		RevokedAt   *time.Time `json:"revokedAt,omitempty"`
	}
	out := []view{}
	for _, k := range certs {
		out = append(out, view{k.Fingerprint, k.CreatedAt, k.RevokedAt})
	}
	writeJSON(w, http.StatusOK, map[string]any{"client": c.String(), "certificates": out})
}

func (h *Handler) revokeCert(w http.ResponseWriter, r *http.Request, c imident.Client) {
	if err := h.Store.RevokeCertificate(r.Context(), c, r.PathValue("fingerprint")); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) grantRole(w http.ResponseWriter, r *http.Request, c imident.Client) {
	h.done(w, r, h.Store.GrantRole(r.Context(), c, r.PathValue("role")))
}

func (h *Handler) revokeRole(w http.ResponseWriter, r *http.Request, c imident.Client) {
	h.done(w, r, h.Store.RevokeRole(r.Context(), c, r.PathValue("role")))
}

// patchService takes {"enabled": true|false}.
func (h *Handler) patchService(w http.ResponseWriter, r *http.Request, c imident.Client) {
	var body struct {
		Enabled *bool `json:"enabled"`
	}
	if !decode(w, r, &body) {
		return
	}
	if body.Enabled == nil {
		badRequest(w, r, `send {"enabled": true} or {"enabled": false}`)
		return
	}
	h.done(w, r, h.Store.SetServiceEnabled(r.Context(), c, r.PathValue("serviceCode"), *body.Enabled))
}

// putGroup creates a group; body {"description": "..."} optional.
func (h *Handler) putGroup(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.admin(w, r); !ok {
		return
	}
	var body struct {
		Description string `json:"description"`
	}
	if r.ContentLength != 0 && !decode(w, r, &body) {
		return
	}
	h.done(w, r, h.Store.CreateGroup(r.Context(), r.PathValue("group"), body.Description))
}

func (h *Handler) groupMember(add bool) clientHandler {
	return func(w http.ResponseWriter, r *http.Request, c imident.Client) {
		if add {
			h.done(w, r, h.Store.AddGroupMember(r.Context(), r.PathValue("group"), c))
			return
		}
		h.done(w, r, h.Store.RemoveGroupMember(r.Context(), r.PathValue("group"), c))
	}
}

// done answers 204, or the error.
func (h *Handler) done(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
