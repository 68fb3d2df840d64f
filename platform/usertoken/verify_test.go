package usertoken_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/govstackbb/marketplace/platform/usertoken"
)

// keySet is a key source whose keys a test can rotate and whose fetches it counts.
type keySet struct {
	mu      sync.Mutex
	pub     map[string]ed25519.PublicKey
	fetches atomic.Int32
	down    atomic.Bool
}

func (s *keySet) source(context.Context) ([]byte, error) {
	s.fetches.Add(1)
	if s.down.Load() {
		return nil, errors.New("registration is down")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return usertoken.JWKS(s.pub)
}

func (s *keySet) add(t *testing.T, kid string) ed25519.PrivateKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pub == nil {
		s.pub = map[string]ed25519.PublicKey{}
	}
	s.pub[kid] = pub
	return priv
}

// clock is a settable time source, so expiry and refresh intervals are tested without sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	keys  *keySet
	clock *clock
	v     *usertoken.Verifier
	priv  ed25519.PrivateKey // of kid "k1"
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{keys: &keySet{}, clock: &clock{t: time.Now().Truncate(time.Second)}}
	f.priv = f.keys.add(t, "k1")
	f.v = usertoken.NewVerifier(usertoken.VerifierOptions{
		Keys: f.keys.source, Issuer: "https://registration.test", Leeway: time.Second,
		MinRefresh: 10 * time.Second, MaxAge: 5 * time.Minute, Now: f.clock.now,
	})
	return f
}

func (f *fixture) claims() usertoken.Claims {
	return usertoken.Claims{Subject: "acc-1", Email: "ann@health.gov.test", Name: "Ann", Roles: []string{"buyer"},
		NationalID: "38001010001", Organisation: "Ministry of Health", CompanyID: "123456789", Issuer: "https://registration.test",
		IssuedAt: f.clock.now()}
}

func (f *fixture) sign(t *testing.T, priv ed25519.PrivateKey, kid string, c usertoken.Claims) string {
	t.Helper()
	tok, err := usertoken.Sign(priv, kid, c, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestVerifyGoodToken(t *testing.T) {
	f := newFixture(t)
	c, err := f.v.Verify(context.Background(), f.sign(t, f.priv, "k1", f.claims()))
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != "acc-1" || c.Email != "ann@health.gov.test" || c.Name != "Ann" || !c.HasRole("buyer") || c.NationalID != "38001010001" ||
		c.Organisation != "Ministry of Health" || c.CompanyID != "123456789" || c.Issuer != "https://registration.test" || c.ID == "" || !c.Expiry.Equal(f.clock.now().Add(15*time.Minute)) {
		t.Fatalf("claims = %+v", c)
	}
}

func TestVerifyRefusesBadClaims(t *testing.T) {
	f := newFixture(t)
	expired := f.claims()
	expired.IssuedAt = f.clock.now().Add(-time.Hour)
	early := f.claims()
	early.IssuedAt = f.clock.now().Add(time.Hour)
	wrongIss := f.claims()
	wrongIss.Issuer = "https://evil.test"
	noSub := f.claims()
	noSub.Subject = ""
	for name, c := range map[string]usertoken.Claims{"expired": expired, "not yet valid": early,
		"wrong issuer": wrongIss, "no subject": noSub} {
		t.Run(name, func(t *testing.T) {
			_, err := f.v.Verify(context.Background(), f.sign(t, f.priv, "k1", c))
			if !errors.Is(err, usertoken.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestVerifyRefusesWrongAudienceAndNoExpiry(t *testing.T) {
	f := newFixture(t)
	now := f.clock.now()
	for name, std := range map[string]jwt.Claims{
		"wrong audience": {Subject: "acc-1", Issuer: "https://registration.test", Audience: jwt.Audience{"other"},
			Expiry: jwt.NewNumericDate(now.Add(time.Hour))},
		"no expiry": {Subject: "acc-1", Issuer: "https://registration.test", Audience: jwt.Audience{"govstack"}},
	} {
		t.Run(name, func(t *testing.T) {
			tok := signRaw(t, jose.EdDSA, f.priv, "k1", std)
			if _, err := f.v.Verify(context.Background(), tok); !errors.Is(err, usertoken.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func signRaw(t *testing.T, alg jose.SignatureAlgorithm, key any, kid string, claims any) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key},
		(&jose.SignerOptions{}).WithHeader(jose.HeaderKey("kid"), kid))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestVerifyRefusesOtherAlgorithms(t *testing.T) {
	f := newFixture(t)
	good := f.sign(t, f.priv, "k1", f.claims())
	payload := strings.Split(good, ".")[1]
	b64 := base64.RawURLEncoding.EncodeToString
	none := b64([]byte(`{"alg":"none","kid":"k1"}`)) + "." + payload + "."
	// The classic confusion attack: HMAC keyed with the published public key.
	pub := f.priv.Public().(ed25519.PublicKey)
	hs := signRaw(t, jose.HS256, []byte(pub), "k1", map[string]any{"sub": "acc-1", "aud": "govstack",
		"iss": "https://registration.test", "exp": f.clock.now().Add(time.Hour).Unix()})
	for name, tok := range map[string]string{"alg none": none, "HS256 with the public key": hs, "garbage": "a.b.c", "empty": ""} {
		t.Run(name, func(t *testing.T) {
			if _, err := f.v.Verify(context.Background(), tok); !errors.Is(err, usertoken.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestVerifyRefusesTamperedPayload(t *testing.T) {
	f := newFixture(t)
	parts := strings.Split(f.sign(t, f.priv, "k1", f.claims()), ".")
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	forged := strings.Replace(string(raw), `"buyer"`, `"admin"`, 1)
	if forged == string(raw) {
		t.Fatal("test setup: role not found in payload")
	}
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(forged))
	if _, err := f.v.Verify(context.Background(), strings.Join(parts, ".")); !errors.Is(err, usertoken.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
}

func TestVerifyFollowsKeyRotation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.v.Verify(ctx, f.sign(t, f.priv, "k1", f.claims())); err != nil {
		t.Fatal(err)
	}
	k2 := f.keys.add(t, "k2")
	tok2 := f.sign(t, k2, "k2", f.claims())
	// Within MinRefresh of the first fetch the new kid is not fetched for.
	if _, err := f.v.Verify(ctx, tok2); !errors.Is(err, usertoken.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid before MinRefresh", err)
	}
	f.clock.advance(10 * time.Second)
	if _, err := f.v.Verify(ctx, tok2); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	if n := f.keys.fetches.Load(); n != 2 {
		t.Fatalf("fetches = %d, want 2", n)
	}
}

func TestVerifyFetchesAgainAfterMaxAge(t *testing.T) {
	f := newFixture(t)
	tok := f.sign(t, f.priv, "k1", f.claims())
	ctx := context.Background()
	for range 3 {
		if _, err := f.v.Verify(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.advance(5 * time.Minute)
	if _, err := f.v.Verify(ctx, f.sign(t, f.priv, "k1", f.claims())); err != nil {
		t.Fatal(err)
	}
	if n := f.keys.fetches.Load(); n != 2 {
		t.Fatalf("fetches = %d, want 2 (one initial, one after MaxAge)", n)
	}
}

func TestForgedKidFloodFetchesAtMostOncePerMinRefresh(t *testing.T) {
	f := newFixture(t)
	forger := f.keys.add(t, "unused")
	flood := func() {
		var wg sync.WaitGroup
		for i := range 200 {
			wg.Go(func() {
				tok := f.sign(t, forger, fmt.Sprintf("forged-%d", i), f.claims())
				if _, err := f.v.Verify(context.Background(), tok); !errors.Is(err, usertoken.ErrInvalid) {
					t.Errorf("err = %v, want ErrInvalid", err)
				}
			})
		}
		wg.Wait()
	}
	flood()
	if n := f.keys.fetches.Load(); n != 1 {
		t.Fatalf("fetches after first flood = %d, want 1", n)
	}
	f.clock.advance(10 * time.Second)
	flood()
	if n := f.keys.fetches.Load(); n != 2 {
		t.Fatalf("fetches after second flood = %d, want 2", n)
	}
}

func TestKeySourceFailureIsNotAnInvalidToken(t *testing.T) {
	f := newFixture(t)
	f.keys.down.Store(true)
	_, err := f.v.Verify(context.Background(), f.sign(t, f.priv, "k1", f.claims()))
	if err == nil || errors.Is(err, usertoken.ErrInvalid) {
		t.Fatalf("err = %v, want a key-source error that is not ErrInvalid", err)
	}
	f.keys.down.Store(false)
	if _, err := f.v.Verify(context.Background(), f.sign(t, f.priv, "k1", f.claims())); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
}

func TestConcurrentVerify(t *testing.T) {
	f := newFixture(t)
	tok := f.sign(t, f.priv, "k1", f.claims())
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if _, err := f.v.Verify(context.Background(), tok); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := f.keys.fetches.Load(); n != 1 {
		t.Fatalf("fetches = %d, want 1", n)
	}
}
