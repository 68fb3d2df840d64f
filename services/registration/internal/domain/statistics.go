package domain

import (
	"slices"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

// DateLayout is the YYYY-MM-DD form of statistics dates.
const DateLayout = "2006-01-02"

// MaxStatisticsPeriods bounds the rows one statistics query may ask for (e.g. 1,000 days).
const MaxStatisticsPeriods = 1000

// StatsQuery is a validated statistics query. Dates are days in UTC; From and To are inclusive and zero
// when not given.
type StatsQuery struct {
	From, To         time.Time
	RegistrationName string
	Operator         string
	Role             string
	Timeframe        string // "", "day", "week", "month" or "year"
}

// StatsCounts are the decisions counted for one period.
type StatsCounts struct {
	Processed, Approved, SentBack, Rejected int64
}

// StatsRow is one row of the answer: a period (the whole range when there is no timeframe) and its counts.
type StatsRow struct {
	Start, End time.Time // inclusive days; zero when the query left them open
	StatsCounts
}

// ParseStatsQuery checks a statistics query: dates YYYY-MM-DD (INVALID_DATE naming the field), start not
// after end, a known timeframe (INVALID_TIMEFRAME).
func ParseStatsQuery(start, end, name, operator, role, timeframe string) (StatsQuery, error) {
	q := StatsQuery{RegistrationName: strings.TrimSpace(name), Operator: strings.TrimSpace(operator),
		Role: strings.TrimSpace(role), Timeframe: strings.ToLower(strings.TrimSpace(timeframe))}
	var err error
	if q.From, err = parseDay("startDate", start); err != nil {
		return StatsQuery{}, err
	}
	if q.To, err = parseDay("endDate", end); err != nil {
		return StatsQuery{}, err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.From.After(q.To) {
		return StatsQuery{}, apierr.Invalid("INVALID_DATE_RANGE", "startDate is after endDate",
			apierr.FieldViolation{Field: "startDate", Description: "must not be after endDate " + end})
	}
	switch q.Timeframe {
	case "", "day", "week", "month", "year":
	default:
		return StatsQuery{}, apierr.Invalid("INVALID_TIMEFRAME", "timeframe must be day, week, month or year",
			apierr.FieldViolation{Field: "timeframe", Description: "one of day, week, month, year; got " + quote(timeframe)})
	}
	if q.Timeframe != "" && !q.From.IsZero() && !q.To.IsZero() {
		if n := len(Periods(q.Timeframe, q.From, q.To)); n > MaxStatisticsPeriods {
			return StatsQuery{}, apierr.Invalid("TOO_MANY_PERIODS", "the range has too many periods for this timeframe; use a longer timeframe or a shorter range",
				apierr.FieldViolation{Field: "timeframe", Description: "at most 1000 periods"})
		}
	}
	return q, nil
}

func parseDay(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, apierr.Invalid("INVALID_DATE", field+" must be a date YYYY-MM-DD",
			apierr.FieldViolation{Field: field, Description: "not a date YYYY-MM-DD: " + quote(s)})
	}
	return d, nil
}

// PeriodStart is the first day of the timeframe period containing day (weeks start on Monday, ISO 8601).
func PeriodStart(timeframe string, day time.Time) time.Time {
	y, m, d := day.UTC().Date()
	switch timeframe {
	case "week":
		t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
	case "month":
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	case "year":
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// PeriodEnd is the last day of the period that starts at start.
func PeriodEnd(timeframe string, start time.Time) time.Time {
	switch timeframe {
	case "week":
		return start.AddDate(0, 0, 6)
	case "month":
		return start.AddDate(0, 1, -1)
	case "year":
		return start.AddDate(1, 0, -1)
	}
	return start
}

// Periods lists the starts of every period of timeframe that overlaps the days from..to.
func Periods(timeframe string, from, to time.Time) []time.Time {
	var out []time.Time
	for p := PeriodStart(timeframe, from); !p.After(to); p = PeriodEnd(timeframe, p).AddDate(0, 0, 1) {
		out = append(out, p)
		if len(out) > MaxStatisticsPeriods {
			break
		}
	}
	return out
}

// BucketStats arranges per-period counts into the answer's rows. counts is keyed by period start. With both
// dates, every period of the range gets a row (zeros included) clipped to the range; otherwise only periods
// with decisions do.
func BucketStats(q StatsQuery, counts map[time.Time]StatsCounts) []StatsRow {
	var starts []time.Time
	if !q.From.IsZero() && !q.To.IsZero() {
		starts = Periods(q.Timeframe, q.From, q.To)
	} else {
		for p := range counts {
			starts = append(starts, p)
		}
		slices.SortFunc(starts, time.Time.Compare)
	}
	rows := make([]StatsRow, 0, len(starts))
	for _, p := range starts {
		r := StatsRow{Start: p, End: PeriodEnd(q.Timeframe, p), StatsCounts: counts[p]}
		if !q.From.IsZero() && r.Start.Before(q.From) {
			r.Start = q.From
		}
		if !q.To.IsZero() && r.End.After(q.To) {
			r.End = q.To
		}
		rows = append(rows, r)
	}
	return rows
}
