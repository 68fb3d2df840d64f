// Package api is the Registration BB's gRPC handlers: thin adapters between the generated services and
// internal/app.
package api

import registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"

// identityMethods are the calls GovStack marks with a required Information-Mediator-Client header.
var identityMethods = map[string]bool{
	registrationv1.EServiceService_SubmitApplication_FullMethodName: true,
	registrationv1.EServiceService_ListApplications_FullMethodName:  true,
	registrationv1.EServiceService_GetApplication_FullMethodName:    true,
	registrationv1.EServiceService_UpdateApplication_FullMethodName: true,
	registrationv1.EServiceService_GetStatistics_FullMethodName:     true,
}

// IdentityRequired says whether a call must carry the IM client identity (400 when missing or malformed).
func IdentityRequired(fullMethod string) bool { return identityMethods[fullMethod] }
