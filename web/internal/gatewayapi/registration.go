package gatewayapi

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// The Registration BB's account and sign-in API (services/registration/README.md "Account flows").

// Tokens are what signing in and refreshing give (RFC 6749 §5.1).
type Tokens struct {
	AccessToken  string   `json:"access_token"`
	ExpiresIn    int      `json:"expires_in"`
	RefreshToken string   `json:"refresh_token"`
	Roles        []string `json:"roles"`
}

// Account is the signed-in person as Registration knows them.
type Account struct {
	ID           string   `json:"id"`
	Email        string   `json:"email"`
	Name         string   `json:"name"`
	Roles        []string `json:"roles"`
	Status       string   `json:"status"`
	Organisation string   `json:"organisation"`
	// HospitalID is a hospital staff member's hospital (the Scheduling entity id).
	HospitalID string `json:"hospitalId"`
}

// Accepted answers a registration: an e-mail with a link is on its way.
type Accepted struct {
	Message       string    `json:"message"`
	LinkExpiresAt time.Time `json:"linkExpiresAt"`
}

// SignIn exchanges an e-mail and a password for tokens.
func (c *Client) SignIn(ctx context.Context, email, password string) (Tokens, error) {
	var t Tokens
	err := c.do(ctx, call{method: http.MethodPost, path: "/auth/token",
		body: map[string]string{"email": email, "password": password}, out: &t})
	return t, err
}

// Refresh exchanges a refresh token for new tokens (the old one stops working).
func (c *Client) Refresh(ctx context.Context, refreshToken string) (Tokens, error) {
	var t Tokens
	err := c.do(ctx, call{method: http.MethodPost, path: "/auth/refresh",
		body: map[string]string{"refresh_token": refreshToken}, out: &t})
	return t, err
}

// SignOut revokes a refresh token's family.
func (c *Client) SignOut(ctx context.Context, refreshToken string) error {
	return c.do(ctx, call{method: http.MethodPost, path: "/auth/sign-out", body: map[string]string{"refresh_token": refreshToken}})
}

// Me is the account of the access token.
func (c *Client) Me(ctx context.Context, token string) (Account, error) {
	var a Account
	err := c.do(ctx, call{method: http.MethodGet, path: "/accounts/me", token: token, out: &a})
	return a, err
}

// LinkCheck tells whether an activation or reset link is still good.
type LinkCheck struct {
	Valid   bool   `json:"valid"`
	Purpose string `json:"purpose"`
}

// CheckLink asks whether an e-mailed link token is still good. The API takes the token in the query: the
// call's route, never its query, is what the portal logs.
func (c *Client) CheckLink(ctx context.Context, token string) (LinkCheck, error) {
	var l LinkCheck
	err := c.do(ctx, call{method: http.MethodGet, path: "/accounts/activate" + query("token", token), out: &l})
	return l, err
}

// Activate sets the password of an account from its activation link.
func (c *Client) Activate(ctx context.Context, token, password string) (Account, error) {
	var a Account
	err := c.do(ctx, call{method: http.MethodPost, path: "/accounts/activate",
		body: map[string]string{"token": token, "password": password}, out: &a})
	return a, err
}

// RequestPasswordReset e-mails a reset link when the address has an active account.
func (c *Client) RequestPasswordReset(ctx context.Context, email string) error {
	return c.do(ctx, call{method: http.MethodPost, path: "/auth/password-reset", body: map[string]string{"email": email}})
}

// ResetPassword sets a new password from a reset link.
func (c *Client) ResetPassword(ctx context.Context, token, password string) (Account, error) {
	var a Account
	err := c.do(ctx, call{method: http.MethodPost, path: "/auth/password-reset/confirm",
		body: map[string]string{"token": token, "password": password}, out: &a})
	return a, err
}

// Citizen is a citizen's self-registration.
type Citizen struct {
	NationalID string `json:"nationalId"`
	FirstName  string `json:"firstName"`
	LastName   string `json:"lastName"`
	BirthDate  string `json:"birthDate"` // YYYY-MM-DD
	Email      string `json:"email"`
	Phone      string `json:"phone,omitempty"`
}

// RegisterCitizen registers a citizen found in the population register.
func (c *Client) RegisterCitizen(ctx context.Context, ci Citizen) (Accepted, error) {
	var a Accepted
	err := c.do(ctx, call{method: http.MethodPost, path: "/accounts/citizens", body: map[string]any{"citizen": ci}, out: &a})
	return a, err
}

// Buyer is a public-sector buyer's registration.
type Buyer struct {
	Email        string `json:"email"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
}

// RegisterBuyer registers a buyer whose e-mail domain is an approved public-sector one.
func (c *Client) RegisterBuyer(ctx context.Context, b Buyer) (Accepted, error) {
	var a Accepted
	err := c.do(ctx, call{method: http.MethodPost, path: "/accounts/buyers", body: b, out: &a})
	return a, err
}

// DomainRequest asks for a public-sector e-mail domain to be approved.
type DomainRequest struct {
	Email        string `json:"email"`
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
	Reason       string `json:"reason"`
}

// DomainRequested is the application file that follows a domain request.
type DomainRequested struct {
	FileID string `json:"fileId"`
}

// RequestDomainAccess sends a domain request to the administrators.
func (c *Client) RequestDomainAccess(ctx context.Context, r DomainRequest) (DomainRequested, error) {
	var d DomainRequested
	err := c.do(ctx, call{method: http.MethodPost, path: "/accounts/domain-requests", body: r, out: &d})
	return d, err
}

// SupplierDraft is a supplier registration in progress; its id is a secret of the person registering.
type SupplierDraft struct {
	DraftID        string   `json:"draftId,omitempty"`
	CompanyID      string   `json:"companyId,omitempty"`
	CompanyScheme  string   `json:"companyScheme,omitempty"`
	RegisteredName string   `json:"registeredName,omitempty"`
	CompanyName    string   `json:"companyName,omitempty"`
	ContactName    string   `json:"contactName,omitempty"`
	ContactEmail   string   `json:"contactEmail,omitempty"`
	ContactPhone   string   `json:"contactPhone,omitempty"`
	LoginEmail     string   `json:"loginEmail,omitempty"`
	Missing        []string `json:"missing,omitempty"`
}

// StartSupplier checks a company id against the companies registry and starts a draft.
func (c *Client) StartSupplier(ctx context.Context, companyID string) (SupplierDraft, error) {
	var d SupplierDraft
	err := c.do(ctx, call{method: http.MethodPost, path: "/accounts/suppliers/drafts", body: SupplierDraft{CompanyID: companyID}, out: &d})
	return d, err
}

// SupplierDraft reads a draft.
func (c *Client) SupplierDraft(ctx context.Context, id string) (SupplierDraft, error) {
	var d SupplierDraft
	err := c.do(ctx, call{method: http.MethodGet, path: "/accounts/suppliers/drafts/" + pathEscape(id), out: &d})
	return d, err
}

// UpdateSupplierDraft changes the non-empty fields of f.
func (c *Client) UpdateSupplierDraft(ctx context.Context, id string, f SupplierDraft) (SupplierDraft, error) {
	var d SupplierDraft
	f.DraftID = ""
	err := c.do(ctx, call{method: http.MethodPatch, path: "/accounts/suppliers/drafts/" + pathEscape(id), body: f, out: &d})
	return d, err
}

// SubmitSupplier creates the supplier account from a complete draft.
func (c *Client) SubmitSupplier(ctx context.Context, id string) (Accepted, error) {
	var a Accepted
	err := c.do(ctx, call{method: http.MethodPost, path: "/accounts/suppliers/drafts/" + pathEscape(id) + "/submit",
		body: map[string]string{}, out: &a})
	return a, err
}

// DomainAccessService is the id of Registration's domain-access e-service (its requests' application files).
const DomainAccessService = "5e7a0000-0000-4000-a000-000000000005"

// ApplicationItem is one application file of a list (GovStack's applicationListItem).
type ApplicationItem struct {
	FileID      string    `json:"fileId"`
	MainTaskID  string    `json:"mainTaskId"`
	Status      Status    `json:"status"`
	ApplicantID string    `json:"applicantId"`
	Created     time.Time `json:"created"`
	Description string    `json:"description"`
}

// Status is an application's or task's status (PENDING, APPROVED, REJECTED, SENDBACK).
type Status struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// Applications lists a service's application files, newest first, from first (0-based), at most max.
func (c *Client) Applications(ctx context.Context, token, serviceID string, first, max int) ([]ApplicationItem, error) {
	var out []ApplicationItem
	err := c.do(ctx, call{method: http.MethodGet, path: "/applications" + query("serviceId", serviceID,
		"firstResult", strconv.Itoa(first), "maxResult", strconv.Itoa(max)), token: token, out: &out})
	return out, err
}

// Task is an operator's task with the application's form data.
type Task struct {
	ID      string         `json:"taskId"`
	FileID  string         `json:"fileId"`
	Status  Status         `json:"status"`
	Data    map[string]any `json:"data"`
	Created time.Time      `json:"created"`
}

// Task reads a task.
func (c *Client) Task(ctx context.Context, token, taskID string) (Task, error) {
	var t Task
	err := c.do(ctx, call{method: http.MethodGet, path: "/tasks/" + pathEscape(taskID), token: token, out: &t})
	return t, err
}

// CompleteTask decides a review task: "approve", "reject" or "sendback", with a comment.
func (c *Client) CompleteTask(ctx context.Context, token, idempotencyKey, taskID, decision, comment string) error {
	return c.do(ctx, call{method: http.MethodPost, path: "/tasks/" + pathEscape(taskID) + "/complete", token: token,
		idempotencyKey: idempotencyKey, body: map[string]any{"data": map[string]string{"decision": decision, "comment": comment}}})
}
