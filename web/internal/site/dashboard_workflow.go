package site

// A process's page of the workflow dashboard: its BPMN diagram, drawn by the bpmn.io viewer (bpmn-js,
// bundled into the embedded assets) from the document the Workflow API returns, and its latest instances as a
// table — what the page shows with JavaScript off.

// instancesShown is how many instances a process page lists.
const instancesShown = 50

func (s *Site) workflowProcessPage(c *Ctx) {
	ctx, tok := c.R.Context(), c.Data.AccessToken
	p, err := s.api.Process(ctx, tok, c.R.PathValue("process"))
	if err != nil {
		c.apiFail(err)
		return
	}
	instances, err := s.api.Instances(ctx, tok, p.Key, instancesShown)
	if err != nil {
		c.apiFail(err)
		return
	}
	c.Render("dashboard-workflow", "dashboard.workflow.title", nil, map[string]any{"Process": p, "Name": orDefault(p.Name, p.Key),
		"Instances": instances})
}
