// Package process embeds the BPMN process the procurement service deploys to the Workflow BB at start.
package process

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
)

// BPMN is procurement.bpmn: process "procurement".
//
//go:embed procurement.bpmn
var BPMN string

// VersionTag names this file's content, so a start deploys it only when it changed.
func VersionTag() string {
	sum := sha256.Sum256([]byte(BPMN))
	return "sha256-" + hex.EncodeToString(sum[:6])
}
