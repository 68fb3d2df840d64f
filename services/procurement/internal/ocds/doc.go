// Package ocds publishes the procurement service's data as the Open Contracting Data Standard 1.1.5 with
// the bids extension: release types, release and record packages with paging, the OCDS merge (compiled
// and versioned releases, driven by the release schema's merge flags) and validation against the
// embedded schemas. It does no I/O. README.md explains the mapping choices.
package ocds
