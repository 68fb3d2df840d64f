package site

import (
	"net/url"
	"sort"
	"strconv"

	"github.com/govstackbb/marketplace/web/internal/gatewayapi"
)

// The administrator's dashboards, as tables (they are the page with JavaScript off): procurement's tenders
// by stage, bids per tender and overdue steps (/reports/*), payment batches by status (Payments), today's appointments per hospital (Scheduling,
// dashboard_appointments.go), and the Workflow engine's instances by process
// and state, open incidents and processes — each process linking to its diagram (dashboard_workflow.go).
// A part whose API does not answer says so in its place; the others still show.

// bidsShown is how many tenders the bids table lists (the newest).
const bidsShown = 20

// dashboard is the page's data; a nil part did not answer.
type dashboard struct {
	Stages    []gatewayapi.StageCount
	Bids      []gatewayapi.TenderBids
	Overdue   []overdueRow
	Status    *gatewayapi.WorkflowStatus
	Incidents []gatewayapi.Incident
	Processes []processRow
	// Batches are the payment batches by status.
	Batches []gatewayapi.BatchCount
	// Hospitals are today's appointments per hospital; MoreHospitals says some were left out.
	Hospitals     []hospitalDay
	MoreHospitals bool
	// Failed names the parts that did not answer.
	Failed map[string]bool
}

type overdueRow struct {
	Tender, Step, Subject, Due, Days string
}

type processRow struct {
	ID, Name, Link string
	Version        int
	Counts         string
}

func (s *Site) dashboardPage(c *Ctx) {
	ctx, tok := c.R.Context(), c.Data.AccessToken
	d := dashboard{Failed: map[string]bool{}}
	note := func(part string, err error) {
		if err != nil {
			s.log.Warn("a dashboard part's API call failed", "part", part, "error", err)
			d.Failed[part] = true
		}
	}
	var err error
	d.Stages, err = s.api.TendersByStage(ctx, tok)
	note("stages", err)
	d.Bids, err = s.api.BidsPerTender(ctx, tok, bidsShown)
	note("bids", err)
	steps, err := s.api.OverdueSteps(ctx, tok)
	note("overdue", err)
	for _, st := range steps {
		d.Overdue = append(d.Overdue, overdueRow{Tender: st.TenderID, Step: c.Loc.T("dashboard.step." + st.Step), Subject: st.Subject,
			Due: c.longDate(st.Due.UTC()), Days: strconv.FormatFloat(st.OverdueDays, 'f', 1, 64)})
	}
	d.Batches, err = s.api.BatchCounts(ctx, tok)
	note("payments", err)
	d.Hospitals, d.MoreHospitals, err = s.appointmentsToday(ctx, tok)
	note("appointments", err)
	status, err := s.api.WorkflowStatus(ctx, tok)
	note("workflow", err)
	if err == nil {
		d.Status = &status
	}
	d.Incidents, err = s.api.Incidents(ctx, tok)
	note("incidents", err)
	procs, err := s.api.Processes(ctx, tok)
	note("processes", err)
	d.Processes = processRows(c, procs, status)
	c.Render("dashboard", "dashboard.title", nil, d)
}

// processRows are the processes with their instance counts by state ("active 3, completed 12").
func processRows(c *Ctx, procs []gatewayapi.Process, st gatewayapi.WorkflowStatus) []processRow {
	out := make([]processRow, 0, len(procs))
	for _, p := range procs {
		counts := ""
		for _, ic := range st.Instances {
			if ic.ProcessID == p.Key || ic.ProcessID == p.ID {
				if counts != "" {
					counts += ", "
				}
				counts += c.Loc.T("dashboard.state_count", ic.State, ic.Count)
			}
		}
		out = append(out, processRow{ID: p.Key, Name: orDefault(p.Name, p.Key), Version: p.Version, Counts: counts,
			Link: "/admin/dashboards/workflow/" + url.PathEscape(p.Key)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
