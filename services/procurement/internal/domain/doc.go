// Package domain is the procurement model and its rules: tenders and their validation, questions, sealed
// bids, scores combined by the published weights, awards with a standstill, complaints, contracts and their
// milestones. It imports no gRPC, pgx or NATS (ADR 0012). The order of the steps between them is the BPMN
// process in ../../process, run by the Workflow BB; each aggregate here keeps only its own rules.
package domain
