package gateway_test

import (
	"testing"

	"github.com/govstackbb/marketplace/gateway"
	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
)

func TestMethodsComeFromTheDescriptors(t *testing.T) {
	ms := gateway.Methods("registries")
	byName := map[string]gateway.Method{}
	for _, m := range ms {
		byName[m.FullName] = m
	}
	read := byName[registriesv1.RegistriesService_ReadRecord_FullMethodName]
	if read.HTTPMethod != "POST" || read.Path != "/data/{registry_name}/{version_number}/read" {
		t.Errorf("ReadRecord = %+v", read)
	}
	if _, ok := byName[registriesv1.DatabasesService_ListDatabases_FullMethodName]; !ok {
		t.Error("DatabasesService methods are missing")
	}
	if len(gateway.Methods("nosuchbb")) != 0 {
		t.Error("an unknown BB has methods")
	}
}
