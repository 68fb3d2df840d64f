package domain

import (
	"slices"
	"strings"
	"time"
)

// UserTask is a task for a person.
type UserTask struct {
	ID              string
	InstanceID      string
	ProcessKey      string
	ElementID       string
	EI              string
	Name            string
	State           string // created, completed, cancelled
	Assignee        string
	CandidateGroups []string
	CandidateUsers  []string
	FormKey         string
	Form            map[string]any // the Camunda form its completion is checked against (nil: none)
	DueAt           *time.Time
	FollowUpAt      *time.Time
	CreatedAt       time.Time
	CompletedAt     *time.Time
	CompletedBy     string
}

// Task states.
const (
	TaskOpen      = "created"
	TaskDone      = "completed"
	TaskCancelled = "cancelled"
)

// Person is the signed-in user acting on tasks: who they are (account id and e-mail, either may name
// them in a BPMN assignment), their roles, which are the groups candidate groups name, and the
// organisation they act for (the Registration token's organisation claim).
type Person struct {
	ID           string
	Email        string
	Roles        []string
	Organisation string
}

// Groups are every group the person holds (Holds): their roles, and each role in their organisation.
func (p Person) Groups() []string {
	out := slices.Clone(p.Roles)
	if p.Organisation != "" {
		for _, r := range p.Roles {
			out = append(out, r+"@"+p.Organisation)
		}
	}
	return out
}

// Holds reports whether the person holds the group g: one of their roles ("buyer"), or a role held in one
// organisation ("buyer@Ministry of Justice"), so that a process can give a task to the buyers of one
// organisation rather than to every buyer.
func (p Person) Holds(g string) bool {
	if role, org, ok := strings.Cut(g, "@"); ok {
		return org != "" && org == p.Organisation && slices.Contains(p.Roles, role)
	}
	return slices.Contains(p.Roles, g)
}

// IsAdmin reports whether the person administers the workflow: they see and assign every task.
func (p Person) IsAdmin() bool { return slices.Contains(p.Roles, "admin") }

// Is reports whether name (an assignee or candidate user) names this person.
func (p Person) Is(name string) bool {
	return name != "" && (name == p.ID || strings.EqualFold(name, p.Email))
}

// Name is how the person is recorded as an assignee: their e-mail, else their account id.
func (p Person) Name() string {
	if p.Email != "" {
		return p.Email
	}
	return p.ID
}

// IsCandidate reports whether the person may take the task: a candidate user, or holding a candidate group.
func (t UserTask) IsCandidate(p Person) bool {
	if slices.ContainsFunc(t.CandidateUsers, p.Is) {
		return true
	}
	return slices.ContainsFunc(t.CandidateGroups, p.Holds)
}

// VisibleTo reports whether the person may see the task: its assignee, a candidate, or an administrator.
func (t UserTask) VisibleTo(p Person) bool {
	return p.IsAdmin() || p.Is(t.Assignee) || t.IsCandidate(p)
}

// Claim makes the person the assignee of an open, unassigned task they are a candidate for.
func (t *UserTask) Claim(p Person) error {
	switch {
	case t.State != TaskOpen:
		return taskNotOpen(t)
	case p.Is(t.Assignee):
		return nil
	case t.Assignee != "":
		return taskAssigned(t)
	case !t.IsCandidate(p) && !p.IsAdmin():
		return notACandidate(t)
	}
	t.Assignee = p.Name()
	return nil
}

// CheckCompletion says whether the person may complete the task: its assignee, or a candidate of an
// unassigned one (completing claims it).
func (t *UserTask) CheckCompletion(p Person) error {
	switch {
	case t.State != TaskOpen:
		return taskNotOpen(t)
	case p.Is(t.Assignee):
		return nil
	case t.Assignee != "":
		return taskAssigned(t)
	case t.IsCandidate(p):
		t.Assignee = p.Name()
		return nil
	}
	return notACandidate(t)
}
