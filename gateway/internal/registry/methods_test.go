package registry_test

import (
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/registry"
	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
)

func TestMethodsOf(t *testing.T) {
	t.Parallel()
	methods := registry.MethodsOf(registriesv1.File_govstack_registries_v1_registries_service_proto)
	if len(methods) == 0 {
		t.Fatal("no methods")
	}
	found := false
	for _, m := range methods {
		if m.FullName == "" || m.FullName[0] != '/' {
			t.Errorf("bad method %+v", m)
		}
		if m.FullName == "/govstack.registries.v1.RegistriesService/ReadRecord" && m.HTTPMethod != "" && m.Path != "" {
			found = true
		}
	}
	if !found {
		t.Fatalf("ReadRecord with its REST binding not among %+v", methods)
	}
}
