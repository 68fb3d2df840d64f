package directory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/imident"
	"go.yaml.in/yaml/v4"
	"google.golang.org/grpc/codes"
)

// A service registered through the configuration API carries its OpenAPI description (getOpenAPI serves it):
// given by specUrl, fetched when the configuration is applied, inline as "openapi", or uploaded with
// PUT /api/v1/clients/{clientId}/services/{serviceCode}/openapi.

// maxOpenAPIBytes bounds one description, fetched or uploaded; the largest GovStack document is ~100 KiB.
const maxOpenAPIBytes = 4 << 20

// specFetchTimeout bounds fetching a specUrl, so one slow host cannot hold a configuration request.
const specFetchTimeout = 10 * time.Second

// checkOpenAPI accepts a JSON or YAML OpenAPI 3 (openapi: 3.x) or swagger 2.0 document with paths; the
// message says what is wrong otherwise.
func checkOpenAPI(doc []byte) error {
	if !utf8.Valid(doc) || bytes.IndexByte(doc, 0) >= 0 {
		return errors.New("the OpenAPI description is not UTF-8 text")
	}
	var parsed any
	if err := yaml.Unmarshal(doc, &parsed); err != nil {
		return fmt.Errorf("the OpenAPI description is neither JSON nor YAML (%s)", strings.TrimPrefix(firstLine(err.Error()), "yaml: "))
	}
	top, _ := parsed.(map[string]any)
	// fmt.Sprint: unquoted in YAML, "openapi: 3.1" is a number.
	v3, v2 := fmt.Sprint(top["openapi"]), fmt.Sprint(top["swagger"])
	if !strings.HasPrefix(v3, "3.") && v2 != "2.0" && v2 != "2" {
		return errors.New(`the document is not an OpenAPI description: it needs "openapi": "3.x" (or "swagger": "2.0")`)
	}
	if _, ok := top["paths"].(map[string]any); !ok {
		return errors.New(`the OpenAPI description has no "paths" object`)
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// specHTTP fetches specUrls: no redirect to another scheme, and at most a few.
var specHTTP = &http.Client{Timeout: specFetchTimeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
	if len(via) >= 3 || (req.URL.Scheme != "http" && req.URL.Scheme != "https") {
		return errors.New("too many or non-http redirects")
	}
	return nil
}}

// fetchOpenAPI reads the description at specURL (http or https).
func fetchOpenAPI(ctx context.Context, specURL string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, specFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, specURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json, application/yaml;q=0.9, text/yaml;q=0.9")
	resp, err := specHTTP.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && ue.Timeout() {
			return nil, fmt.Errorf("no answer within %s", specFetchTimeout)
		}
		return nil, errors.New("it could not be fetched: " + errors.Unwrap(err).Error())
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("it answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	doc, err := io.ReadAll(io.LimitReader(resp.Body, maxOpenAPIBytes+1))
	switch {
	case err != nil:
		return nil, errors.New("reading it failed: " + err.Error())
	case len(doc) > maxOpenAPIBytes:
		return nil, fmt.Errorf("it is larger than %d MiB", maxOpenAPIBytes>>20)
	}
	return doc, checkOpenAPI(doc)
}

// serviceOpenAPI decides a configured service's description: the inline document, the fetched specUrl, or
// nil (keep the stored one) when neither is given or specUrl is this IM's own getOpenAPI URL of the service,
// as GET /api/v1/config shows it.
func serviceOpenAPI(ctx context.Context, field string, provider imident.Client, s confService) ([]byte, error) {
	switch {
	case len(s.OpenAPI) > 0 && string(s.OpenAPI) != "null":
		doc := []byte(s.OpenAPI)
		var asString string
		if yaml.Unmarshal(doc, &asString) == nil && s.OpenAPI[0] == '"' { // a YAML (or JSON) document in a string
			doc = []byte(asString)
		}
		if len(doc) > maxOpenAPIBytes {
			return nil, invalidField(field+".openapi", fmt.Sprintf("the description is larger than %d MiB", maxOpenAPIBytes>>20))
		}
		if err := checkOpenAPI(doc); err != nil {
			return nil, invalidField(field+".openapi", err.Error())
		}
		return doc, nil
	case s.SpecURL == "" || s.SpecURL == ownSpecURL(provider, s.ID) || strings.HasSuffix(s.SpecURL, ownSpecURL(provider, s.ID)):
		return nil, nil
	}
	u, err := url.Parse(s.SpecURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, invalidField(field+".specUrl", "specUrl must be an absolute http or https URL of the OpenAPI description (or this IM's getOpenAPI URL of the service)")
	}
	doc, err := fetchOpenAPI(ctx, s.SpecURL)
	if err != nil {
		return nil, invalidField(field+".specUrl", "the OpenAPI description at "+s.SpecURL+" was not taken: "+err.Error())
	}
	return doc, nil
}

// ownSpecURL is where getOpenAPI serves a service's description.
func ownSpecURL(provider imident.Client, code string) string {
	return "/r1/" + provider.String() + "/getOpenAPI?serviceCode=" + url.QueryEscape(code)
}

func invalidField(field, msg string) error {
	return apierr.Invalid("INVALID_OPENAPI", field+": "+msg, apierr.FieldViolation{Field: field, Description: msg})
}

func registryRef(provider imident.Client, code string) registry.ServiceRef {
	return registry.ServiceRef{Provider: provider, Code: code}
}

// putServiceOpenAPI serves PUT /api/v1/clients/{clientId}/services/{serviceCode}/openapi: the body is the
// description. An IM admin or the provider itself may.
func (h *Handler) putServiceOpenAPI(w http.ResponseWriter, r *http.Request) {
	c, ok := caller(w, r)
	if !ok {
		return
	}
	provider, err := parseClientID(r.PathValue("clientId"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if may, err := h.mayManage(r, c, registryRef(provider, r.PathValue("serviceCode"))); err != nil || !may {
		if err == nil {
			rest.WriteError(w, r, http.StatusForbidden, codes.PermissionDenied, c.String()+
				" may not describe the services of "+provider.String()+": only IM admins and the provider may")
			return
		}
		h.writeError(w, r, err)
		return
	}
	doc, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxOpenAPIBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		rest.WriteError(w, r, http.StatusRequestEntityTooLarge, codes.ResourceExhausted,
			fmt.Sprintf("the description is larger than %d MiB", maxOpenAPIBytes>>20))
		return
	case err != nil:
		badRequest(w, r, "could not read the request body")
		return
	}
	if err := checkOpenAPI(doc); err != nil {
		h.writeError(w, r, invalidField("(body)", err.Error()+"; send the document itself as the body (JSON or YAML)"))
		return
	}
	h.done(w, r, h.Store.SetServiceOpenAPI(r.Context(), provider, r.PathValue("serviceCode"), doc))
}
