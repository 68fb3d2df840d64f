package msglog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govstackbb/marketplace/gateway/internal/keyfile"
)

func TestKeyIsCreatedOnceAndPublished(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "gateway", "message-log.key")
	k1, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v (%v), want 0600", st.Mode(), err)
	}
	k2, err := LoadOrCreateKey(path)
	if err != nil || !k1.Equal(k2) {
		t.Fatalf("second start made a new key (%v)", err)
	}
	for _, p := range []string{path, path + ".pub"} {
		keys, err := LoadPublicKeys(p)
		if err != nil || len(keys) != 1 || !keys[0].Equal(k1.Public()) {
			t.Fatalf("LoadPublicKeys(%s) = %v, %v", p, keys, err)
		}
	}
	if _, err := LoadOrCreateKey(""); err == nil || !strings.Contains(err.Error(), "GOVSTACK_GATEWAY_LOG_KEY_FILE") {
		t.Fatalf("empty key path: %v", err)
	}
}

func TestVerifyCommand(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{}, true)
	keyFile := filepath.Join(t.TempDir(), "k")
	if err := os.WriteFile(keyFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// Publish the fixture's key the way the gateway does.
	if err := keyfile.WritePublicKey(keyFile+".pub", f.pub()); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		f.log.Writer().Append(testRecord(i, "EE/GOV/1/app", ""))
	}
	f.waitRecords(t, 5)
	var out bytes.Buffer
	keys, err := LoadPublicKeys(keyFile + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	o := VerifyOptions{Keys: []TrustedKey{{Public: keys[0]}}}
	if err := VerifyCommand(context.Background(), f.pool, o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "5 records verified") || !strings.Contains(out.String(), "0 broken") {
		t.Fatalf("report:\n%s", out.String())
	}
	if _, err := f.pool.Exec(context.Background(), `UPDATE im_msglog_record SET status = 500 WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := VerifyCommand(context.Background(), f.pool, o, &out); err == nil {
		t.Fatal("a tampered log verified")
	}
	want := "first broken record: chain " + f.log.Writer().Chain() + " seq 3: tampered"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("report does not say %q:\n%s", want, out.String())
	}
	t.Log("\n" + out.String())
}

// Open creates the key at first start and publishes it; a second Open (a restart) reuses it and starts a
// new chain. Several logs in one process share the metrics registry.
func TestOpenCreatesTheKeyAndANewChainPerStart(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{}, false)
	keyFile := filepath.Join(t.TempDir(), "gateway", "message-log.key")
	l1, err := Open(context.Background(), f.pool, Options{KeyFile: keyFile, Registerer: f.reg})
	if err != nil {
		t.Fatal(err)
	}
	l2, err := Open(context.Background(), f.pool, Options{KeyFile: keyFile, Registerer: f.reg})
	if err != nil {
		t.Fatal(err)
	}
	if !l1.PublicKey().Equal(l2.PublicKey()) || l1.Writer().Chain() == l2.Writer().Chain() {
		t.Fatal("a restart must keep the key and start a new chain")
	}
	keys, err := LoadPublicKeys(keyFile + ".pub")
	if err != nil || !keys[0].Equal(l1.PublicKey()) {
		t.Fatalf("published key: %v", err)
	}
}
