package api

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/app"
)

// Auth serves sign-in, refresh, password reset and the JWKS.
type Auth struct {
	registrationv1.UnimplementedAuthServiceServer
	app *app.Service
}

// NewAuth returns the handlers on a.
func NewAuth(a *app.Service) *Auth { return &Auth{app: a} }

// SignIn exchanges e-mail and password for tokens.
func (h *Auth) SignIn(ctx context.Context, r *registrationv1.SignInRequest) (*registrationv1.SignInResponse, error) {
	t, err := h.app.SignIn(ctx, r.GetEmail(), r.GetPassword())
	if err != nil {
		return nil, err
	}
	return &registrationv1.SignInResponse{Tokens: tokensPB(t)}, nil
}

// Refresh rotates a refresh token.
func (h *Auth) Refresh(ctx context.Context, r *registrationv1.RefreshRequest) (*registrationv1.RefreshResponse, error) {
	t, err := h.app.Refresh(ctx, r.GetRefreshToken())
	if err != nil {
		return nil, err
	}
	return &registrationv1.RefreshResponse{Tokens: tokensPB(t)}, nil
}

// SignOut revokes a refresh token.
func (h *Auth) SignOut(ctx context.Context, r *registrationv1.SignOutRequest) (*registrationv1.SignOutResponse, error) {
	return &registrationv1.SignOutResponse{}, h.app.SignOut(ctx, r.GetRefreshToken())
}

// RequestPasswordReset e-mails a reset link when the address has an active account.
func (h *Auth) RequestPasswordReset(ctx context.Context, r *registrationv1.RequestPasswordResetRequest) (*registrationv1.RequestPasswordResetResponse, error) {
	msg, exp, err := h.app.RequestPasswordReset(ctx, r.GetEmail())
	if err != nil {
		return nil, err
	}
	return &registrationv1.RequestPasswordResetResponse{Accepted: &registrationv1.Accepted{Message: msg,
		LinkExpiresAt: timestamppb.New(exp)}}, nil
}

// ResetPassword sets a new password from a reset link.
func (h *Auth) ResetPassword(ctx context.Context, r *registrationv1.ResetPasswordRequest) (*registrationv1.ResetPasswordResponse, error) {
	a, err := h.app.ResetPassword(ctx, r.GetToken(), r.GetPassword())
	if err != nil {
		return nil, err
	}
	return &registrationv1.ResetPasswordResponse{Account: accountPB(a)}, nil
}

// GetJWKS publishes the verification keys.
func (h *Auth) GetJWKS(ctx context.Context, _ *registrationv1.GetJWKSRequest) (*registrationv1.GetJWKSResponse, error) {
	keys, err := h.app.JWKS(ctx)
	if err != nil {
		return nil, err
	}
	return &registrationv1.GetJWKSResponse{Keys: jwksPB(keys)}, nil
}
