package bbcmd

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/govstackbb/marketplace/platform/config"
	"github.com/govstackbb/marketplace/platform/imassert"
)

// usageWidth is how wide -h's lines are at most (a word longer than what is left of a line still goes whole).
const usageWidth = 110

// Usage is the text of -h: the BB's summary, the standard commands, then its environment: the settings of
// config.Common a BB reads, with this BB's defaults, then its own. Its own settings are listed from C's env
// and envDefault tags, described by Settings, so -h cannot drift from what the binary reads.
func (c Command[C]) Usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s <command>\n\n%s\n\nCommands:\n", c.Name, c.Summary)
	writeEntries(&b, c.commands())
	b.WriteString("\nEnvironment:\n")
	writeEntries(&b, c.environment())
	return b.String()
}

// An entry is one name of -h (a command or a variable) and what it does.
type entry struct{ name, text string }

func (c Command[C]) commands() []entry {
	serves := c.Serves
	if serves == "" {
		serves = "the gRPC API"
	}
	migrate := "create the database govstack_" + c.Name + " if missing and apply its migrations"
	if c.Migrates != "" {
		migrate += " (" + c.Migrates + ")"
	}
	out := []entry{{"serve", "run " + serves + " until SIGINT/SIGTERM"}, {"migrate", migrate}}
	if c.Seed != nil {
		seeds := c.Seeds
		if seeds == "" {
			seeds = "load the demo data"
		}
		out = append(out, entry{"seed", "migrate, then " + seeds})
	}
	return append(out, entry{"healthcheck", "exit 0 when the " + c.Name +
		" server at GOVSTACK_GRPC_ADDR answers its gRPC health check SERVING"})
}

// notABBSetting are the settings of config.Common that a BB's binary does not use (the gateway and govstack
// dev do); -h leaves them out.
var notABBSetting = map[string]bool{"GOVSTACK_DATA_DIR": true, "GOVSTACK_HTTP_ADDR": true}

// commonSettings describes the settings of config.Common a BB reads; "(default …)" comes from the tag.
func (c Command[C]) commonSettings() map[string]string {
	return map[string]string{
		"GOVSTACK_DATABASE_URL":     "Postgres server URL; the BB uses database govstack_" + c.Name + " on it",
		"GOVSTACK_NATS_URL":         "NATS server URL, with JetStream (required by serve)",
		"GOVSTACK_GRPC_ADDR":        "gRPC listen address (default " + c.DefaultGRPCAddr + ")",
		"GOVSTACK_LOG_LEVEL":        "one of " + strings.Join(config.LogLevels, ", "),
		"GOVSTACK_METRICS_ADDR":     "serve Prometheus /metrics on this address (default: off)",
		"GOVSTACK_SHUTDOWN_TIMEOUT": "how long serve drains in-flight calls on shutdown",
		"GOVSTACK_IM_KEYS_URL": "the Information Mediator's public keys, e.g. http://gateway:8080" + imassert.KeysPath +
			": serve answers only calls the IM signed (required by serve unless GOVSTACK_IM_ALLOW_DIRECT_CALLS)",
		"GOVSTACK_IM_ALLOW_DIRECT_CALLS": "true on a development machine only: serve answers calls that did not " +
			"come through the IM and trusts the identity they claim (default false)",
	}
}

func (c Command[C]) environment() []entry {
	var out []entry
	common := c.commonSettings()
	for _, s := range settings(reflect.TypeFor[config.Common]()) {
		if !notABBSetting[s.name] {
			out = append(out, s.entry(common[s.name]))
		}
	}
	for _, s := range ownSettings[C]() {
		out = append(out, s.entry(c.Settings[s.name]))
	}
	return append(out, entry{"OTEL_EXPORTER_OTLP_ENDPOINT", "send traces to this OTLP/gRPC endpoint (default: none)"})
}

// A setting is one variable a config struct reads, from its field's tags.
type setting struct {
	name, def string
	required  bool
}

func (s setting) entry(text string) entry {
	switch {
	case s.required:
		text += " (required)"
	case s.def != "" && !strings.Contains(text, "(default"):
		text += " (default " + s.def + ")"
	}
	return entry{s.name, strings.TrimSpace(text)}
}

// settings lists the variables t reads, in field order, nested structs included, as caarlos0/env reads
// them for config.Load.
func settings(t reflect.Type) []setting {
	var out []setting
	for f := range t.Fields() {
		out = append(out, fieldSettings(f)...)
	}
	return out
}

func fieldSettings(f reflect.StructField) []setting {
	name, opts, _ := strings.Cut(f.Tag.Get("env"), ",")
	switch {
	case name != "":
		return []setting{{name, f.Tag.Get("envDefault"), strings.Contains(","+opts+",", ",required,")}}
	case f.Type.Kind() == reflect.Struct && f.IsExported():
		out := settings(f.Type)
		for i := range out {
			out[i].name = f.Tag.Get("envPrefix") + out[i].name
		}
		return out
	}
	return nil
}

// ownSettings are the variables C reads beyond config.Common's, in field order.
func ownSettings[C any]() []setting {
	var out []setting
	for f := range reflect.TypeFor[C]().Fields() {
		if f.Type != reflect.TypeFor[config.Common]() {
			out = append(out, fieldSettings(f)...)
		}
	}
	return out
}

// OwnSettings are the names of the variables C reads beyond config.Common's: those its Command's Settings
// describe.
func OwnSettings[C any]() []string {
	var names []string
	for _, s := range ownSettings[C]() {
		names = append(names, s.name)
	}
	return names
}

// writeEntries writes entries as two columns, the text wrapped to usageWidth.
func writeEntries(b *strings.Builder, entries []entry) {
	width := 0
	for _, e := range entries {
		width = max(width, len(e.name))
	}
	indent := 2 + width + 2
	for _, e := range entries {
		if e.text == "" {
			fmt.Fprintf(b, "  %s\n", e.name)
			continue
		}
		fmt.Fprintf(b, "  %-*s  ", width, e.name)
		col := indent
		for i, w := range strings.Fields(e.text) {
			if i > 0 && col+1+len(w) > usageWidth {
				b.WriteString("\n" + strings.Repeat(" ", indent))
				col = indent
			} else if i > 0 {
				b.WriteByte(' ')
				col++
			}
			b.WriteString(w)
			col += len(w)
		}
		b.WriteByte('\n')
	}
}
