package rest

import (
	"net/url"
	"reflect"
	"testing"

	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
)

func TestQueryMapDotSyntax(t *testing.T) {
	tests := []struct {
		query string
		want  map[string]string
		page  int32
	}{
		{"query.firstName=Ada&query.last+name=Lovelace&page=3", map[string]string{"firstName": "Ada", "last name": "Lovelace"}, 3},
		{"query[firstName]=Ada", map[string]string{"firstName": "Ada"}, 0},
		{"query.a.b=c", map[string]string{"a.b": "c"}, 0}, // the key is everything after the first dot
	}
	for _, tc := range tests {
		values, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		var req registriesv1.ListRecordsRequest
		if err := (queryParser{}).Parse(&req, values, utilities.NewDoubleArray(nil)); err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		if !reflect.DeepEqual(req.Query, tc.want) || req.Page != tc.page {
			t.Errorf("%s: query = %v page = %d, want %v %d", tc.query, req.Query, req.Page, tc.want, tc.page)
		}
	}
}
