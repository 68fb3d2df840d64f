package site

import (
	"context"
	"time"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The dashboard's appointments: today's at each hospital (its own day, in its time zone), by status. Scheduling
// has no count API; an administrator's token lists every hospital's appointments, so the portal counts a
// day's list per hospital — a few hundred appointments each — for at most hospitalsCounted hospitals.

// hospitalsCounted bounds the hospitals the dashboard counts (one list call each).
const hospitalsCounted = 20

// hospitalDay is one hospital's row.
type hospitalDay struct {
	Hospital                     string
	Booked, CheckedIn, Cancelled int
	Total                        int
}

// appointmentsToday counts today's appointments at each hospital; more reports hospitals left out.
func (s *Site) appointmentsToday(ctx context.Context, token string) (rows []hospitalDay, more bool, err error) {
	hospitals, err := s.api.Hospitals(ctx, "", "")
	if err != nil {
		return nil, false, err
	}
	more = len(hospitals) > hospitalsCounted
	for _, h := range hospitals[:min(len(hospitals), hospitalsCounted)] {
		loc := location(h.TimeZone)
		now := s.now().In(loc)
		start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
		as, err := s.api.AllAppointments(ctx, token, gatewayapi.AppointmentQuery{HospitalID: h.ID, From: start,
			To: start.AddDate(0, 0, 1), PageSize: 500})
		if err != nil {
			return nil, false, err
		}
		row := hospitalDay{Hospital: h.Name, Total: len(as)}
		for _, a := range as {
			switch a.Status {
			case "booked":
				row.Booked++
			case "checkedIn":
				row.CheckedIn++
			case "cancelled":
				row.Cancelled++
			}
		}
		rows = append(rows, row)
	}
	return rows, more, nil
}
