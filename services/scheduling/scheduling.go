// Package scheduling is the GovStack scheduling building block.
package scheduling
