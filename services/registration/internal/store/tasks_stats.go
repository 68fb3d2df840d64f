package store

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

// DecisionCounts counts completed tasks by decision, grouped by the period (q.Timeframe; the whole range
// when empty, keyed by the zero time) of their completion day in UTC.
func (st *Store) DecisionCounts(ctx context.Context, s domain.StatsQuery) (map[time.Time]domain.StatsCounts, error) {
	var from, to *time.Time
	if !s.From.IsZero() {
		from = &s.From
	}
	if !s.To.IsZero() {
		end := s.To.AddDate(0, 0, 1) // inclusive end day
		to = &end
	}
	period := s.Timeframe
	if period == "" {
		period = "none"
	}
	// date_trunc('week') starts weeks on Monday, as domain.PeriodStart does.
	rows, err := st.pool.Query(ctx, `SELECT
			CASE WHEN $6 = 'none' THEN NULL ELSE date_trunc($6, t.completed AT TIME ZONE 'UTC') END AS period,
			count(*),
			count(*) FILTER (WHERE t.decision = 'APPROVED'),
			count(*) FILTER (WHERE t.decision = 'SENDBACK'),
			count(*) FILTER (WHERE t.decision = 'REJECTED')
		FROM tasks t JOIN applications a ON a.file_id = t.file_id JOIN services s ON s.id = a.service_id
		WHERE t.status = 'COMPLETED' AND t.decision <> ''
			AND ($1::timestamptz IS NULL OR t.completed >= $1) AND ($2::timestamptz IS NULL OR t.completed < $2)
			AND ($3 = '' OR lower(s.name) = lower($3))
			AND ($4 = '' OR t.completed_by = $4 OR lower(t.completed_by_name) = lower($4))
			AND ($5 = '' OR t.role_id = $5)
		GROUP BY 1`, from, to, s.RegistrationName, s.Operator, s.Role, period)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[time.Time]domain.StatsCounts{}
	for rows.Next() {
		var p *time.Time
		var c domain.StatsCounts
		if err := rows.Scan(&p, &c.Processed, &c.Approved, &c.SentBack, &c.Rejected); err != nil {
			return nil, mapErr(err)
		}
		var key time.Time
		if p != nil {
			key = time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
		}
		out[key] = c
	}
	return out, mapErr(rows.Err())
}
