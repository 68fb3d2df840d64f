package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The served documents are what the generator makes of the committed inputs, every time: a stale document
// or a generator whose output depends on map order fails here, not only in make proto-check.
func TestGeneratorIsReproducible(t *testing.T) {
	inputs, err := filepath.Glob("../govstack/*/v1/*_service.swagger.json")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("inputs: %v %v", inputs, err)
	}
	inputs = append(inputs, "../im.yaml")
	committed, err := filepath.Glob("../served/*/*.json")
	if err != nil || len(committed) == 0 {
		t.Fatalf("served documents: %v %v", committed, err)
	}
	for round := range 3 {
		dir := t.TempDir()
		for _, in := range inputs {
			rel, _ := filepath.Rel("..", in)
			copyFile(t, in, filepath.Join(dir, rel))
		}
		if err := run(dir); err != nil {
			t.Fatal(err)
		}
		for _, want := range committed {
			rel, _ := filepath.Rel("..", want)
			got, err := os.ReadFile(filepath.Join(dir, rel))
			if err != nil {
				t.Fatal(err)
			}
			if w, _ := os.ReadFile(want); !bytes.Equal(got, w) {
				t.Fatalf("round %d: %s differs from what the generator writes: run make proto and commit", round, rel)
			}
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
