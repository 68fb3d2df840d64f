// Package processes holds the BPMN processes shipped with the Workflow BB, saved as Camunda Modeler saves
// them in Camunda 8 mode: they deploy as they are, and open in the modeler with their layout. README.md
// lists the BPMN elements and zeebe extensions each one uses.
package processes

import "embed"

// Files are the shipped .bpmn files, by file name (procurement-evaluation.bpmn, probation-case.bpmn).
//
//go:embed *.bpmn
var Files embed.FS
