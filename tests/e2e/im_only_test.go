package e2e

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/govstackbb/marketplace/platform/imident"
	registriesv1 "github.com/govstackbb/marketplace/proto/govstack/registries/v1"
)

// The BBs trust no one who reaches their port without the IM (issue 12): a direct gRPC ReadRecord to the
// Registries BB claiming a client (even an IM admin) and the personal-data right is refused before anything
// is read; the same read with the assertion the IM signs is answered; a valid assertion for another method
// does not open this one.
func TestDirectCallsToABBAreRefused(t *testing.T) {
	s := startStack(t)
	conn, err := grpc.NewClient(s.dev.BBAddr("registries"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	registries := registriesv1.NewRegistriesServiceClient(conn)
	query, _ := structpb.NewStruct(map[string]any{"personalCode": "EE37801010001"})
	read := &registriesv1.ReadRecordRequest{RegistryName: "citizens", VersionNumber: "1.0", Query: &registriesv1.RecordQuery{Content: query}}
	admin, _ := imident.Parse(imAdmin)

	spoofed := metadata.AppendToOutgoingContext(context.Background(), imident.MetadataKey, imAdmin,
		imident.PersonalDataMetadataKey, imident.PersonalDataGranted)
	_, err = registries.ReadRecord(spoofed, read)
	if st := status.Convert(err); st.Code() != codes.Unauthenticated || !strings.Contains(st.Message(), "Information Mediator") {
		t.Fatalf("a direct ReadRecord claiming %s: %v, want Unauthenticated naming the IM", imAdmin, err)
	}

	other, err := s.dev.SignedByIM(context.Background(), registriesv1.RegistriesService_ListPersonalDataUsage_FullMethodName, admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := registries.ReadRecord(other, read); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("ReadRecord with an assertion for ListPersonalDataUsage: %v, want Unauthenticated", err)
	}

	signed, err := s.dev.SignedByIM(context.Background(), registriesv1.RegistriesService_ReadRecord_FullMethodName, admin)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := registries.ReadRecord(signed, read)
	if err != nil || resp.GetContent().GetFields()["firstName"].GetStringValue() == "" {
		t.Fatalf("ReadRecord with the IM's assertion: %v, %v", resp, err)
	}
	// Through the gateway the same read works as before: the IM signs it.
	expect(t, s.do(t, "POST", "/data/citizens/1.0/read", `{"query":{"content":{"personalCode":"EE37801010001"}}}`, nil), 200, `"firstName"`)
}
