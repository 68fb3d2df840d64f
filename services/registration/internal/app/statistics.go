package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// StatisticsInput is GET /data/statistics's query as sent.
type StatisticsInput struct {
	StartDate, EndDate, RegistrationName, Operator, Role, Timeframe string
}

// GetStatistics counts decided review tasks (processed, approved, sent back, rejected) matching the query,
// one row per timeframe period or one for the whole range. Days are UTC days; both dates are inclusive.
func (s *Service) GetStatistics(ctx context.Context, in StatisticsInput) (domain.StatsQuery, []domain.StatsRow, error) {
	q, err := domain.ParseStatsQuery(in.StartDate, in.EndDate, in.RegistrationName, in.Operator, in.Role, in.Timeframe)
	if err != nil {
		return q, nil, err
	}
	if q.RegistrationName != "" {
		if err := s.requireServiceNamed(ctx, q.RegistrationName); err != nil {
			return q, nil, err
		}
	}
	counts, err := s.store.DecisionCounts(ctx, q)
	if err != nil {
		return q, nil, err
	}
	if q.Timeframe == "" {
		// One row for the whole range, even when nothing was decided.
		return q, []domain.StatsRow{{Start: q.From, End: q.To, StatsCounts: counts[zeroTime]}}, nil
	}
	return q, domain.BucketStats(q, counts), nil
}

// zeroTime keys the single whole-range row of Store.DecisionCounts.
var zeroTime time.Time

// requireServiceNamed answers the GovStack spec's 404 "Requests not found" for statistics of a service that
// does not exist, rather than a row of zeros that looks like a service nobody used.
func (s *Service) requireServiceNamed(ctx context.Context, name string) error {
	services, err := s.store.ListServices(ctx, name)
	if err != nil {
		return err
	}
	for _, svc := range services {
		if strings.EqualFold(svc.Name, name) {
			return nil
		}
	}
	return apierr.NotFound("REQUESTS_NOT_FOUND", "Requests not found: no service is named "+strconv.Quote(name)+"; GET /services lists them")
}
