package app

import "context"

// SetFlow plugs a flow into the e-services engine, so that tests can hook a service of their own.
func (s *Service) SetFlow(key string, f Flow) { s.flows[key] = f }

// RecordApplication records a flow's application file in tx, as the account flows do.
func (s *Service) RecordApplication(ctx context.Context, tx Tx, a NewApplication) (fileID, taskID string, err error) {
	return s.recordApplication(ctx, tx, a)
}
