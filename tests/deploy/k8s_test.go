package deploy

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"
)

type k8sObject struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Data       map[string]string `yaml:"data"`
	StringData map[string]string `yaml:"stringData"`
	Spec       struct {
		Template struct {
			Spec struct {
				Containers []k8sContainer `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type k8sContainer struct {
	Name  string   `yaml:"name"`
	Image string   `yaml:"image"`
	Args  []string `yaml:"args"`
	Env   []struct {
		Name string `yaml:"name"`
	} `yaml:"env"`
	EnvFrom []struct {
		ConfigMapRef *struct{ Name string } `yaml:"configMapRef"`
		SecretRef    *struct{ Name string } `yaml:"secretRef"`
	} `yaml:"envFrom"`
	LivenessProbe *struct {
		Exec *struct {
			Command []string `yaml:"command"`
		} `yaml:"exec"`
	} `yaml:"livenessProbe"`
}

func loadK8s(t *testing.T) []k8sObject {
	t.Helper()
	var objs []k8sObject
	files, _ := filepath.Glob(filepath.Join(repoRoot, "deploy/k8s/*.yaml"))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		for {
			var o k8sObject
			if err := dec.Decode(&o); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s does not parse: %v", f, err)
			}
			objs = append(objs, o)
		}
	}
	return objs
}

// TestKubernetesManifestsMatchBinaries checks every container of ours: its subcommand exists, and every
// variable it gets (directly or from a ConfigMap/Secret) is one the binary reads.
func TestKubernetesManifestsMatchBinaries(t *testing.T) {
	objs := loadK8s(t)
	keys := map[string]map[string]string{} // ConfigMap/Secret name -> keys
	for _, o := range objs {
		if o.Kind == "ConfigMap" {
			keys[o.Metadata.Name] = o.Data
		}
		if o.Kind == "Secret" {
			keys[o.Metadata.Name] = o.StringData
		}
	}
	seen := 0
	for _, o := range objs {
		for _, c := range o.Spec.Template.Spec.Containers {
			bin, ok := binaries[c.Image]
			if !ok {
				t.Errorf("%s/%s: image %q is not one of ours", o.Kind, o.Metadata.Name, c.Image)
				continue
			}
			seen++
			if len(c.Args) == 0 || !bin.subcommands[c.Args[0]] {
				t.Errorf("%s/%s: args %q: %s has no such subcommand", o.Kind, o.Metadata.Name, c.Args, bin.name)
			}
			var names []string
			for _, e := range c.Env {
				names = append(names, e.Name)
			}
			for _, ef := range c.EnvFrom {
				ref := ""
				if ef.ConfigMapRef != nil {
					ref = ef.ConfigMapRef.Name
				} else if ef.SecretRef != nil {
					ref = ef.SecretRef.Name
				}
				m, ok := keys[ref]
				if !ok {
					t.Errorf("%s/%s: envFrom %q does not exist", o.Kind, o.Metadata.Name, ref)
				}
				for k := range m {
					names = append(names, k)
				}
			}
			for _, n := range names {
				if !bin.env[n] {
					t.Errorf("%s/%s: %s is not read by %s", o.Kind, o.Metadata.Name, n, bin.name)
				}
			}
			if p := c.LivenessProbe; p != nil && p.Exec != nil {
				if cmd := p.Exec.Command; len(cmd) < 2 || !bin.subcommands[cmd[1]] {
					t.Errorf("%s/%s: liveness command %q is not a subcommand", o.Kind, o.Metadata.Name, cmd)
				}
			}
		}
	}
	if seen < 3 {
		t.Errorf("found %d containers of ours in deploy/k8s, want the migrate job, registries and gateway", seen)
	}
}
