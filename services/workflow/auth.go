package workflow

import "github.com/govstackbb/marketplace/platform/usertoken"

// DefaultTokenIssuer is the iss of the Registration BB's access tokens (GOVSTACK_TOKEN_ISSUER's default).
const DefaultTokenIssuer = usertoken.DefaultIssuer

// NoKeysMessage is what a call carrying Authorization is told when this BB has no keys to verify it with.
var NoKeysMessage = usertoken.NoKeysMessage("Workflow")
