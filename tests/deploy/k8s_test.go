package deploy

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"maps"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/govstackbb/marketplace/proto/govstack/catalog"
)

type k8sObject struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name        string            `yaml:"name"`
		Namespace   string            `yaml:"namespace"`
		Labels      map[string]string `yaml:"labels"`
		Annotations map[string]string `yaml:"annotations"`
	} `yaml:"metadata"`
	Data       map[string]string `yaml:"data"`
	StringData map[string]string `yaml:"stringData"`
	Spec       struct {
		Selector yaml.Node `yaml:"selector"` // a Deployment's {matchLabels: …}, a Service's labels
		Ports    []struct {
			Name       string `yaml:"name"`
			Port       int    `yaml:"port"`
			TargetPort string `yaml:"targetPort"` // a port's name or number
		} `yaml:"ports"`
		Template struct {
			Metadata struct {
				Labels      map[string]string `yaml:"labels"`
				Annotations map[string]string `yaml:"annotations"`
			} `yaml:"metadata"`
			Spec struct {
				RestartPolicy string         `yaml:"restartPolicy"`
				Containers    []k8sContainer `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type k8sContainer struct {
	Name  string   `yaml:"name"`
	Image string   `yaml:"image"`
	Args  []string `yaml:"args"`
	Env   []struct {
		Name      string `yaml:"name"`
		Value     string `yaml:"value"`
		ValueFrom *struct {
			ConfigMapKeyRef *keyRef `yaml:"configMapKeyRef"`
			SecretKeyRef    *keyRef `yaml:"secretKeyRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
	EnvFrom []struct {
		ConfigMapRef *struct{ Name string } `yaml:"configMapRef"`
		SecretRef    *struct{ Name string } `yaml:"secretRef"`
	} `yaml:"envFrom"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	ReadinessProbe *probe `yaml:"readinessProbe"`
	LivenessProbe  *probe `yaml:"livenessProbe"`
}

type keyRef struct{ Name, Key string }

type probe struct {
	Exec *struct {
		Command []string `yaml:"command"`
	} `yaml:"exec"`
	GRPC *struct {
		Port int `yaml:"port"`
	} `yaml:"grpc"`
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port string `yaml:"port"`
	} `yaml:"httpGet"`
}

// k8s is deploy/k8s as `kubectl apply -k deploy/k8s` sends it: rendered by kustomize's own library.
type k8s struct{ objs []k8sObject }

func renderK8s(t *testing.T) k8s { return renderK8sAt(t, "deploy/k8s") }

// renderK8sAt renders the kustomization in dir (repository-relative).
func renderK8sAt(t *testing.T, dir string) k8s {
	t.Helper()
	m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), filepath.Join(repoRoot, dir))
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	out, err := m.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	var k k8s
	dec := yaml.NewDecoder(bytes.NewReader(out))
	for {
		var o k8sObject
		if err := dec.Decode(&o); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("kustomize's output does not parse: %v\n%s", err, out)
		}
		if o.Kind == "Secret" { // generated Secrets carry data, base64-encoded
			for key, v := range o.Data {
				b, err := base64.StdEncoding.DecodeString(v)
				if err != nil {
					t.Fatalf("Secret/%s: %s is not base64: %v", o.Metadata.Name, key, err)
				}
				o.Data[key] = string(b)
			}
			if o.Data == nil {
				o.Data = map[string]string{}
			}
			maps.Copy(o.Data, o.StringData)
		}
		k.objs = append(k.objs, o)
	}
	return k
}

// get returns the object of that kind and name.
func (k k8s) get(kind, name string) (k8sObject, bool) {
	i := slices.IndexFunc(k.objs, func(o k8sObject) bool { return o.Kind == kind && o.Metadata.Name == name })
	if i < 0 {
		return k8sObject{}, false
	}
	return k.objs[i], true
}

// env resolves what a container's process sees: its envFrom ConfigMaps and Secrets, then its env.
func (k k8s) env(t *testing.T, where string, c k8sContainer) map[string]string {
	t.Helper()
	out := map[string]string{}
	data := func(kind, name string) map[string]string {
		o, ok := k.get(kind, name)
		if !ok {
			t.Errorf("%s: refers to %s %q, which does not exist", where, kind, name)
		}
		return o.Data
	}
	for _, ef := range c.EnvFrom {
		switch {
		case ef.ConfigMapRef != nil:
			maps.Copy(out, data("ConfigMap", ef.ConfigMapRef.Name))
		case ef.SecretRef != nil:
			maps.Copy(out, data("Secret", ef.SecretRef.Name))
		}
	}
	for _, e := range c.Env {
		v := e.Value
		if f := e.ValueFrom; f != nil {
			kind, ref := "ConfigMap", f.ConfigMapKeyRef
			if ref == nil {
				kind, ref = "Secret", f.SecretKeyRef
			}
			if ref == nil {
				t.Errorf("%s: %s comes from neither a ConfigMap nor a Secret", where, e.Name)
				continue
			}
			var ok bool
			if v, ok = data(kind, ref.Name)[ref.Key]; !ok {
				t.Errorf("%s: %s: %s %s has no key %s", where, e.Name, kind, ref.Name, ref.Key)
			}
		}
		out[e.Name] = v
	}
	return out
}

// selector is a Deployment's spec.selector.matchLabels or a Service's spec.selector.
func (o k8sObject) selector() map[string]string {
	var m map[string]string
	if o.Kind == "Deployment" {
		var s struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		}
		_ = o.Spec.Selector.Decode(&s)
		return s.MatchLabels
	}
	_ = o.Spec.Selector.Decode(&m)
	return m
}

func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// TestKubernetesManifestsMatchBinaries checks every container of the rendered manifests: it is one of our
// images, its subcommand exists, every variable it gets (directly or from a ConfigMap/Secret, which must
// exist) is one the binary reads, and its liveness command is the binary's healthcheck.
func TestKubernetesManifestsMatchBinaries(t *testing.T) {
	k := renderK8s(t)
	seen := 0
	for _, o := range k.objs {
		if o.Metadata.Namespace != "govstack" && o.Kind != "Namespace" {
			t.Errorf("%s/%s is not in the namespace govstack", o.Kind, o.Metadata.Name)
		}
		for _, c := range o.Spec.Template.Spec.Containers {
			where := o.Kind + "/" + o.Metadata.Name
			bin, ok := binaries[c.Image]
			if !ok {
				t.Errorf("%s: image %q is not one of ours", where, c.Image)
				continue
			}
			seen++
			if len(c.Args) == 0 || !bin.subcommands[c.Args[0]] {
				t.Errorf("%s: args %q: %s has no such subcommand", where, c.Args, bin.name)
			}
			for n := range k.env(t, where, c) {
				if !bin.env[n] {
					t.Errorf("%s: %s is not read by %s", where, n, bin.name)
				}
			}
			if p := c.LivenessProbe; p != nil && p.Exec != nil {
				if cmd := p.Exec.Command; len(cmd) != 2 || !bin.installedAt(cmd[0]) || cmd[1] != "healthcheck" {
					t.Errorf("%s: liveness command %q, want [%s healthcheck]", where, cmd, bin.paths())
				}
			}
		}
	}
	if want := 2*(len(catalog.All)+1) + 1; seen != want {
		t.Errorf("found %d containers of ours in deploy/k8s, want %d: a migrate Job and a Deployment for every BB and the gateway, "+
			"a Deployment for the portal", seen, want)
	}
}

// TestKubernetesEveryBB checks each BB of the catalog in the rendered manifests: its migrate Job, its
// Deployment (image, serve, listening where its ports, readiness probe and metrics annotation say) and its
// Service, which selects only that Deployment's pods; and the gateway reaches the BB at that Service's name
// and port, which lead to the port the BB listens on.
func TestKubernetesEveryBB(t *testing.T) {
	k := renderK8s(t)
	gw, ok := k.get("Deployment", "gateway")
	if !ok || len(gw.Spec.Template.Spec.Containers) != 1 {
		t.Fatal("no gateway Deployment with one container")
	}
	gwEnv := k.env(t, "Deployment/gateway", gw.Spec.Template.Spec.Containers[0])
	if v, set := gwEnv["GOVSTACK_GATEWAY_BBS"]; set {
		t.Errorf("gateway: GOVSTACK_GATEWAY_BBS=%q: unset, the gateway serves every BB of the catalog, as deploy/k8s runs them", v)
	}
	for _, bb := range catalog.All {
		t.Run(bb.Name, func(t *testing.T) {
			job, ok := k.get("Job", bb.Name+"-migrate")
			if !ok {
				t.Errorf("no Job %s-migrate", bb.Name)
			} else if cs := job.Spec.Template.Spec.Containers; len(cs) != 1 || cs[0].Image != bbImage(bb.Name) ||
				len(cs[0].Args) != 1 || (cs[0].Args[0] != "migrate" && cs[0].Args[0] != "seed") {
				t.Errorf("Job %s-migrate: want one container %s running migrate (or seed, which migrates first)", bb.Name, bbImage(bb.Name))
			}
			dep, ok := k.get("Deployment", bb.Name)
			if !ok || len(dep.Spec.Template.Spec.Containers) != 1 {
				t.Fatalf("no Deployment %s with one container", bb.Name)
			}
			c := dep.Spec.Template.Spec.Containers[0]
			if c.Image != bbImage(bb.Name) || !slices.Equal(c.Args, []string{"serve"}) {
				t.Errorf("Deployment %s: %s %q, want %s serve", bb.Name, c.Image, c.Args, bbImage(bb.Name))
			}
			labels := dep.Spec.Template.Metadata.Labels
			if !selects(dep.selector(), labels) {
				t.Errorf("Deployment %s: selector %v does not select its pods %v", bb.Name, dep.selector(), labels)
			}
			env := k.env(t, "Deployment/"+bb.Name, c)
			containerPort := func(name string) string {
				for _, p := range c.Ports {
					if p.Name == name {
						return strconv.Itoa(p.ContainerPort)
					}
				}
				return ""
			}
			grpcPort := port(env["GOVSTACK_GRPC_ADDR"])
			if grpcPort == "" || grpcPort != containerPort("grpc") {
				t.Errorf("Deployment %s: GOVSTACK_GRPC_ADDR %q, container port grpc %q: want the same port", bb.Name, env["GOVSTACK_GRPC_ADDR"], containerPort("grpc"))
			}
			if p := c.ReadinessProbe; p == nil || p.GRPC == nil || strconv.Itoa(p.GRPC.Port) != grpcPort {
				t.Errorf("Deployment %s: want a gRPC readiness probe on port %s", bb.Name, grpcPort)
			}
			if p := c.LivenessProbe; p == nil || p.Exec == nil {
				t.Errorf("Deployment %s: want the healthcheck command as liveness probe", bb.Name)
			}
			metrics := port(env["GOVSTACK_METRICS_ADDR"])
			if a := dep.Spec.Template.Metadata.Annotations; metrics == "" || a["prometheus.io/port"] != metrics || metrics != containerPort("metrics") {
				t.Errorf("Deployment %s: GOVSTACK_METRICS_ADDR %q, prometheus.io/port %q, container port metrics %q: want the same port",
					bb.Name, env["GOVSTACK_METRICS_ADDR"], a["prometheus.io/port"], containerPort("metrics"))
			}
			for _, other := range k.objs {
				if other.Kind == "Deployment" && other.Metadata.Name != bb.Name && selects(dep.selector(), other.Spec.Template.Metadata.Labels) {
					t.Errorf("Deployment %s's selector %v also selects Deployment %s's pods", bb.Name, dep.selector(), other.Metadata.Name)
				}
			}

			// The gateway's address of the BB: a Service whose port leads to the port the BB listens on.
			addr := gwEnv[bb.AddrEnv()]
			host, p, err := net.SplitHostPort(addr)
			if err != nil {
				t.Fatalf("gateway: %s=%q: %v", bb.AddrEnv(), addr, err)
			}
			svc, ok := k.get("Service", strings.TrimSuffix(strings.TrimSuffix(host, ".govstack.svc.cluster.local"), ".govstack"))
			if !ok {
				t.Fatalf("gateway: %s=%s: no Service %s", bb.AddrEnv(), addr, host)
			}
			for _, other := range k.objs {
				if other.Kind == "Deployment" && selects(svc.selector(), other.Spec.Template.Metadata.Labels) != (other.Metadata.Name == bb.Name) {
					t.Errorf("Service %s: selector %v, Deployment %s: want the Service to select exactly %s's pods", host, svc.selector(), other.Metadata.Name, bb.Name)
				}
			}
			target := ""
			for _, sp := range svc.Spec.Ports {
				if strconv.Itoa(sp.Port) == p {
					target = sp.TargetPort
					if cp := containerPort(target); cp != "" {
						target = cp
					}
				}
			}
			if target != grpcPort {
				t.Errorf("gateway: %s=%s: Service %s port %s leads to container port %q, the BB listens on %s", bb.AddrEnv(), addr, host, p, target, grpcPort)
			}
		})
	}
	for _, o := range k.objs {
		name, _ := strings.CutSuffix(o.Metadata.Name, "-migrate")
		if _, isBB := catalog.Lookup(name); (o.Kind == "Deployment" || o.Kind == "Job" || o.Kind == "Service") && !isBB &&
			name != "gateway" && o.Metadata.Name != "portal" {
			t.Errorf("%s/%s is neither a BB of the catalog, the gateway nor the portal", o.Kind, o.Metadata.Name)
		}
	}
}
