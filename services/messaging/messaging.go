// Package messaging is the GovStack messaging building block.
package messaging
