package catalog

import (
	"strings"
	"testing"
)

// Each BB is described consistently: a unique name and port, REST services to mount, events named
// govstack.<bb>.v1.<entity>.<what>, and calls only to BBs the catalog has.
func TestCatalogIsConsistent(t *testing.T) {
	names, ports := map[string]bool{}, map[int]bool{}
	for _, b := range All {
		if names[b.Name] || ports[b.GRPCPort] {
			t.Errorf("%s: name or port %d used twice", b.Name, b.GRPCPort)
		}
		names[b.Name], ports[b.GRPCPort] = true, true
		if len(b.REST) == 0 || b.Module != "services/"+b.Name {
			t.Errorf("%s: no REST services, or module %q", b.Name, b.Module)
		}
		for _, e := range b.Events {
			if !strings.HasPrefix(e, "govstack."+b.Name+".v1.") || strings.Count(e, ".") != 4 {
				t.Errorf("%s: event %q is not govstack.%s.v1.<entity>.<what>", b.Name, e, b.Name)
			}
		}
	}
	for _, b := range All {
		for _, c := range b.Calls {
			if !names[c.Provider] || len(c.Endpoints) == 0 {
				t.Errorf("%s calls %s, which the catalog does not describe, or no endpoints", b.Name, c.Provider)
			}
		}
	}
	if b, ok := Lookup("registries"); !ok || b.AddrEnv() != "GOVSTACK_REGISTRIES_GRPC_ADDR" || b.DefaultAddr() != "127.0.0.1:9092" {
		t.Errorf("Lookup(registries) = %+v, %v", b, ok)
	}
}
