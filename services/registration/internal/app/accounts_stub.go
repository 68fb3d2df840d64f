package app

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"

	"github.com/govstackbb/marketplace/platform/usertoken"
)

// authState is the sign-in state (replaced by the accounts work).
type authState struct{}

func newAuthState(*Service) (*authState, error) { return &authState{}, nil }

// accountFlows returns the account services' flows by service key.
func (s *Service) accountFlows() map[string]Flow { return map[string]Flow{} }

// TokenInterceptor verifies access tokens with this BB's own keys.
func (s *Service) TokenInterceptor() grpc.UnaryServerInterceptor {
	return usertoken.UnaryServerInterceptor(nil)
}

// RunKeyRotation makes a new signing key every KeyRotation until ctx is done.
func (s *Service) RunKeyRotation(ctx context.Context) error { <-ctx.Done(); return nil }

// SeedAdmin creates or resets the active administrator account.
func SeedAdmin(ctx context.Context, pool *pgxpool.Pool, email, password string) error { return nil }
