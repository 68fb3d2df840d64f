package directory

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/apierr"
	"google.golang.org/grpc/codes"
)

// Shapes of GovStack_IM_Directory_Services_API.yaml (X-Road's REST metaservices): lists are objects with a
// "member" array.

type clientList struct {
	Member []clientDetails `json:"member"`
}

type clientDetails struct {
	Name string   `json:"name"`
	ID   clientID `json:"id"`
}

type clientID struct {
	ObjectType      string `json:"objectType"` // MEMBER or APPLICATION (a subsystem)
	InstanceID      string `json:"instanceId"`
	MemberClass     string `json:"memberClass"`
	MemberCode      string `json:"memberCode"`
	ApplicationCode string `json:"applicationCode,omitempty"`
}

type serviceList struct {
	Member []serviceDetails `json:"member"`
}

type serviceDetails struct {
	ObjectType      string       `json:"objectType"`  // SERVICE
	ServiceType     string       `json:"serviceType"` // REST
	InstanceID      string       `json:"instanceId"`
	MemberClass     string       `json:"memberClass"`
	MemberCode      string       `json:"memberCode"`
	ApplicationCode string       `json:"applicationCode"`
	ServiceCode     string       `json:"serviceCode"`
	ServiceVersion  string       `json:"serviceVersion"`
	EndpointList    endpointList `json:"endpointList"`
}

type endpointList struct {
	Member []endpoint `json:"member"`
}

// endpoint is a REST endpoint of a service. Endpoint (an addition to the specification) is the gRPC method
// the REST call reaches: the name access rights are granted on. A gRPC-only method shows method "GRPC".
type endpoint struct {
	Method   string `json:"method"`
	Path     string `json:"path"`
	Endpoint string `json:"endpoint"`
}

// listClients lists members and their subsystems (applications); public, like X-Road's.
func (h *Handler) listClients(w http.ResponseWriter, r *http.Request) {
	members, err := h.Store.ListClients(r.Context(), r.URL.Query().Get("instanceId"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	out := clientList{Member: []clientDetails{}}
	for _, m := range members {
		id := clientID{ObjectType: "MEMBER", InstanceID: m.Instance, MemberClass: m.Class, MemberCode: m.Code}
		out.Member = append(out.Member, clientDetails{Name: m.Name, ID: id})
		for _, s := range m.Subsystems {
			id.ObjectType, id.ApplicationCode = "APPLICATION", s
			out.Member = append(out.Member, clientDetails{Name: m.Name, ID: id})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// listMethods lists every service of the provider in the path and its endpoints (?serviceId= narrows it to
// one service code).
func (h *Handler) listMethods(w http.ResponseWriter, r *http.Request) {
	h.methods(w, r, false)
}

// allowedMethods lists the endpoints of the provider's services the caller has been granted.
func (h *Handler) allowedMethods(w http.ResponseWriter, r *http.Request) {
	h.methods(w, r, true)
}

func (h *Handler) methods(w http.ResponseWriter, r *http.Request, onlyAllowed bool) {
	c, ok := caller(w, r)
	if !ok {
		return
	}
	provider := providerFromPath(r)
	services, err := h.Store.ListServices(r.Context(), provider)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if len(services) == 0 {
		exists, err := h.Store.SubsystemExists(r.Context(), provider)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		if !exists {
			rest.WriteError(w, r, http.StatusNotFound, codes.NotFound,
				"no subsystem "+provider.String()+" is registered with the IM; GET /listClients shows the registered ones")
			return
		}
	}
	var allowed map[string][]string
	if onlyAllowed {
		if allowed, err = h.Store.AllowedEndpoints(r.Context(), c, provider); err != nil {
			h.writeError(w, r, err)
			return
		}
	}
	filter := r.URL.Query().Get("serviceId")
	out := serviceList{Member: []serviceDetails{}}
	for _, svc := range services {
		if filter != "" && svc.Code != filter {
			continue
		}
		if onlyAllowed && len(allowed[svc.Code]) == 0 {
			continue
		}
		out.Member = append(out.Member, details(svc, allowed[svc.Code], onlyAllowed))
	}
	writeJSON(w, http.StatusOK, out)
}

// details describes svc; when onlyAllowed, only the endpoints in granted ("*" = all of them) are listed.
func details(svc registry.Service, granted []string, onlyAllowed bool) serviceDetails {
	d := serviceDetails{ObjectType: "SERVICE", ServiceType: "REST", InstanceID: svc.Provider.Instance,
		MemberClass: svc.Provider.Class, MemberCode: svc.Provider.Member, ApplicationCode: svc.Provider.Subsystem,
		ServiceCode: svc.Code, ServiceVersion: "v1", EndpointList: endpointList{Member: []endpoint{}}}
	whole := slices.Contains(granted, registry.Everything)
	if onlyAllowed && whole && len(svc.Methods) == 0 {
		d.EndpointList.Member = append(d.EndpointList.Member, endpoint{Method: "*", Path: "*", Endpoint: registry.Everything})
	}
	for _, m := range svc.Methods {
		if onlyAllowed && !whole && !slices.Contains(granted, m.FullName) {
			continue
		}
		e := endpoint{Method: m.HTTPMethod, Path: m.Path, Endpoint: m.FullName}
		if e.Method == "" {
			e.Method, e.Path = "GRPC", m.FullName
		}
		d.EndpointList.Member = append(d.EndpointList.Member, e)
	}
	return d
}

// getOpenAPI returns a service's OpenAPI description. The specification answers 400 both for a missing and
// for an unknown serviceCode, and so does this.
func (h *Handler) getOpenAPI(w http.ResponseWriter, r *http.Request) {
	if _, ok := caller(w, r); !ok {
		return
	}
	code := r.URL.Query().Get("serviceCode")
	if code == "" {
		badRequest(w, r, "getOpenAPI needs the query parameter serviceCode, e.g. ?serviceCode=registries; …/listMethods lists the service codes")
		return
	}
	provider := providerFromPath(r)
	doc, err := h.Store.OpenAPI(r.Context(), provider, code)
	if e, ok := apierr.As(err); ok && e.Kind == apierr.KindNotFound {
		badRequest(w, r, e.Message+"; …/listMethods lists the service codes of "+provider.String())
		return
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if json.Valid(doc) {
		w.Header().Set("Content-Type", "application/json")
	} else {
		w.Header().Set("Content-Type", "text/yaml; charset=utf-8")
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(doc)
}
