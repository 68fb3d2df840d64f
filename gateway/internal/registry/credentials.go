package registry

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/gateway/internal/authn"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/jackc/pgx/v5"
)

// ErrUnknownCredential is returned by AuthenticateAPIKey and ClientForCertificate for a key or certificate
// that is not registered or was revoked (it is authn's, so the Store satisfies authn.Credentials).
var ErrUnknownCredential = authn.ErrUnknownCredential

// apiKeyPrefix marks IM API keys, so a leaked one is recognisable (and secret scanners can look for it).
const apiKeyPrefix = "gsim_"

// keyBytes is the entropy of an API key. 256 random bits cannot be guessed, so the stored SHA-256 needs no
// salt or slow hash: those protect low-entropy passwords, and would only slow down every authenticated call.
const keyBytes = 32

// APIKey describes an issued key; the key itself is never stored.
type APIKey struct {
	ID        string
	Client    imident.Client
	CreatedAt time.Time
	RevokedAt *time.Time
}

func hashKey(key string) []byte {
	sum := sha256.Sum256([]byte(key))
	return sum[:]
}

// IssueAPIKey creates an API key for a registered subsystem. The plaintext is returned once and only its
// SHA-256 is kept; id names the key for RevokeAPIKey.
func (s *Store) IssueAPIKey(ctx context.Context, c imident.Client) (plaintext, id string, err error) {
	if err := checkClient(c); err != nil {
		return "", "", err
	}
	raw := make([]byte, keyBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", "", err
	}
	plaintext = apiKeyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	id = uuid.NewString()
	err = s.change(ctx, "apikey.issue", c.String(), map[string]string{"id": id}, func(tx pgx.Tx) error {
		subsystem, err := subsystemID(ctx, tx, c)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO im_api_key (id, subsystem_id, key_hash) VALUES ($1, $2, $3)`,
			id, subsystem, hashKey(plaintext))
		return err
	})
	if err != nil {
		return "", "", err
	}
	return plaintext, id, nil
}

// BootstrapAdminKey registers c as an admin (EnsureAdmin) and issues it an API key: the first credential of
// a fresh IM outside development mode, for a command run on the gateway host.
func (s *Store) BootstrapAdminKey(ctx context.Context, c imident.Client) (plaintext, id string, err error) {
	if err := s.EnsureAdmin(ctx, c); err != nil {
		return "", "", err
	}
	return s.IssueAPIKey(ctx, c)
}

// RevokeAPIKey revokes key id of client c; the next call with it is refused. Revoking twice is a no-op;
// an id that is not c's is NotFound.
func (s *Store) RevokeAPIKey(ctx context.Context, c imident.Client, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return apierr.Invalid("INVALID_KEY_ID", "API key id "+id+" is not a UUID; GET …/apikeys lists the ids")
	}
	var hash []byte
	err := s.change(ctx, "apikey.revoke", c.String(), map[string]string{"id": id}, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE im_api_key k SET revoked_at = coalesce(k.revoked_at, now())
			FROM im_subsystem s, im_member m WHERE k.subsystem_id = s.id AND s.member_id = m.id AND k.id = $5
			  AND m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4 RETURNING k.key_hash`,
			c.Instance, c.Class, c.Member, c.Subsystem, id).Scan(&hash)
		if errors.Is(err, pgx.ErrNoRows) {
			return apierr.NotFound("UNKNOWN_API_KEY", "client "+c.String()+" has no API key "+id)
		}
		if err != nil {
			return err
		}
		// Key caches in every gateway replica drop the key when this commits (KeyCache).
		_, err = tx.Exec(ctx, `SELECT pg_notify($1, $2)`, revokedChannel, hex.EncodeToString(hash))
		return err
	})
	if err == nil && s.onRevoke != nil {
		s.onRevoke(hex.EncodeToString(hash)) // this replica at once, before the notification arrives
	}
	return err
}

// ListAPIKeys lists a client's keys, revoked ones included, newest first.
func (s *Store) ListAPIKeys(ctx context.Context, c imident.Client) ([]APIKey, error) {
	rows, err := s.q(ctx).Query(ctx, `SELECT k.id::text, k.created_at, k.revoked_at FROM im_api_key k
		JOIN im_subsystem s ON s.id = k.subsystem_id JOIN im_member m ON m.id = s.member_id
		WHERE m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4
		ORDER BY k.created_at DESC, k.id`, c.Instance, c.Class, c.Member, c.Subsystem)
	if err != nil {
		return nil, mapErr(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (APIKey, error) {
		k := APIKey{Client: c}
		return k, r.Scan(&k.ID, &k.CreatedAt, &k.RevokedAt)
	})
	return out, mapErr(err)
}

// AuthenticateAPIKey returns the client a valid, unrevoked key was issued to, or ErrUnknownCredential.
func (s *Store) AuthenticateAPIKey(ctx context.Context, key string) (imident.Client, error) {
	if !strings.HasPrefix(key, apiKeyPrefix) {
		return imident.Client{}, ErrUnknownCredential
	}
	return s.clientBy(ctx, `FROM im_api_key k JOIN im_subsystem s ON s.id = k.subsystem_id
		JOIN im_member m ON m.id = s.member_id WHERE k.key_hash = $1 AND k.revoked_at IS NULL`, hashKey(key))
}

func (s *Store) clientBy(ctx context.Context, from string, arg any) (imident.Client, error) {
	var c imident.Client
	err := s.q(ctx).QueryRow(ctx, `SELECT m.instance, m.class, m.code, s.code `+from, arg).
		Scan(&c.Instance, &c.Class, &c.Member, &c.Subsystem)
	if errors.Is(err, pgx.ErrNoRows) {
		return imident.Client{}, ErrUnknownCredential
	}
	return c, mapErr(err)
}

// Certificate describes a registered client certificate.
type Certificate struct {
	Fingerprint string // hex SHA-256 of the DER encoding
	Client      imident.Client
	CreatedAt   time.Time
	RevokedAt   *time.Time
}

// Fingerprint is how certificates are registered: the lower-case hex SHA-256 of the DER encoding.
func Fingerprint(der []byte) string { return authn.Fingerprint(der) }

// NormaliseFingerprint accepts hex with or without ":" separators, in either case.
func NormaliseFingerprint(fp string) (string, error) {
	fp = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(fp), ":", ""))
	if b, err := hex.DecodeString(fp); err != nil || len(b) != sha256.Size {
		return "", apierr.Invalid("INVALID_FINGERPRINT", "a certificate fingerprint is the SHA-256 of its DER encoding: 64 hex digits (colons allowed)")
	}
	return fp, nil
}

// RegisterCertificate binds a certificate fingerprint (see Fingerprint) to a registered subsystem. A
// fingerprint belongs to one client for good: registering it for another client is AlreadyExists, and
// re-registering a revoked one is refused too (issue a new certificate instead).
func (s *Store) RegisterCertificate(ctx context.Context, c imident.Client, fingerprint string) error {
	fp, err := NormaliseFingerprint(fingerprint)
	if err != nil {
		return err
	}
	if err := checkClient(c); err != nil {
		return err
	}
	return s.change(ctx, "certificate.register", c.String(), map[string]string{"fingerprint": fp}, func(tx pgx.Tx) error {
		subsystem, err := subsystemID(ctx, tx, c)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO im_client_certificate (fingerprint, subsystem_id) VALUES ($1, $2)
			ON CONFLICT (fingerprint) DO UPDATE SET fingerprint = EXCLUDED.fingerprint
			WHERE im_client_certificate.subsystem_id = EXCLUDED.subsystem_id AND im_client_certificate.revoked_at IS NULL`,
			fp, subsystem)
		if err == nil && tag.RowsAffected() == 0 {
			return apierr.AlreadyExists("CERTIFICATE_TAKEN", "certificate "+fp+" is registered to another client or was revoked; issue a new certificate")
		}
		return err
	})
}

// RevokeCertificate revokes a client's certificate; the next connection with it is refused.
func (s *Store) RevokeCertificate(ctx context.Context, c imident.Client, fingerprint string) error {
	fp, err := NormaliseFingerprint(fingerprint)
	if err != nil {
		return err
	}
	return s.change(ctx, "certificate.revoke", c.String(), map[string]string{"fingerprint": fp}, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE im_client_certificate k SET revoked_at = coalesce(k.revoked_at, now())
			FROM im_subsystem s, im_member m WHERE k.subsystem_id = s.id AND s.member_id = m.id AND k.fingerprint = $5
			  AND m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4`,
			c.Instance, c.Class, c.Member, c.Subsystem, fp)
		if err == nil && tag.RowsAffected() == 0 {
			return apierr.NotFound("UNKNOWN_CERTIFICATE", "client "+c.String()+" has no certificate "+fp)
		}
		return err
	})
}

// ListCertificates lists a client's certificates, revoked ones included, newest first.
func (s *Store) ListCertificates(ctx context.Context, c imident.Client) ([]Certificate, error) {
	rows, err := s.q(ctx).Query(ctx, `SELECT k.fingerprint, k.created_at, k.revoked_at FROM im_client_certificate k
		JOIN im_subsystem s ON s.id = k.subsystem_id JOIN im_member m ON m.id = s.member_id
		WHERE m.instance = $1 AND m.class = $2 AND m.code = $3 AND s.code = $4
		ORDER BY k.created_at DESC, k.fingerprint`, c.Instance, c.Class, c.Member, c.Subsystem)
	if err != nil {
		return nil, mapErr(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Certificate, error) {
		k := Certificate{Client: c}
		return k, r.Scan(&k.Fingerprint, &k.CreatedAt, &k.RevokedAt)
	})
	return out, mapErr(err)
}

// ClientForCertificate returns the client an unrevoked certificate fingerprint is registered to, or
// ErrUnknownCredential.
func (s *Store) ClientForCertificate(ctx context.Context, fingerprint string) (imident.Client, error) {
	fp, err := NormaliseFingerprint(fingerprint)
	if err != nil {
		return imident.Client{}, ErrUnknownCredential
	}
	return s.clientBy(ctx, `FROM im_client_certificate k JOIN im_subsystem s ON s.id = k.subsystem_id
		JOIN im_member m ON m.id = s.member_id WHERE k.fingerprint = $1 AND k.revoked_at IS NULL`, fp)
}
