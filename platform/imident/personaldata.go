package imident

import (
	"context"

	"google.golang.org/grpc/metadata"
)

// Being an IM client is not being every citizen (issue 11). A call that carries no user token comes from an
// IM client — a hospital system, a portal, another BB — and such a client may see personal data and act on a
// person's objects (their appointments, applications, subscriptions) only when an operator has granted it
// the personal-data right on the service it calls. The IM checks that right on every call and tells the BB
// the answer in the metadata below; it strips the key from whatever a caller sends, so only the IM can set it.

// PersonalDataEndpoint is the pseudo-endpoint of the IM's rights model that stands for "may act on any
// person's data at this service". It is never covered by a wildcard grant: an operator grants it by name.
const PersonalDataEndpoint = "personal-data"

// PersonalDataMetadataKey is the gRPC metadata key the IM sets (to PersonalDataGranted) on a call whose
// client holds the personal-data right on the service it calls.
const PersonalDataMetadataKey = "x-govstack-personal-data"

// PersonalDataGranted is the value of PersonalDataMetadataKey on a call the right covers.
const PersonalDataGranted = "granted"

// HasPersonalDataRight reports whether the IM vouched, on this incoming call, that the calling client holds
// the personal-data right. A BB combines it with the user token: a person's own token, a staff or admin
// token, or this right.
func HasPersonalDataRight(ctx context.Context) bool {
	md, _ := metadata.FromIncomingContext(ctx)
	for _, v := range md.Get(PersonalDataMetadataKey) {
		if v == PersonalDataGranted {
			return true
		}
	}
	return false
}

// WithPersonalDataRight marks an outgoing call as covered by the personal-data right; the IM does this, and
// a BB's own tests do it to stand in for the IM.
func WithPersonalDataRight(ctx context.Context) context.Context {
	return metadata.AppendToOutgoingContext(ctx, PersonalDataMetadataKey, PersonalDataGranted)
}
