package domain

import (
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

func reason(err error) string {
	if e, ok := err.(*apierr.Error); ok {
		return e.Reason
	}
	return ""
}

func TestJobLeaseIsFenced(t *testing.T) {
	now := time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)
	until := now.Add(time.Minute)
	j := Job{Worker: "w1", Epoch: 3, LeaseUntil: &until}
	cases := []struct {
		name  string
		lease Lease
		at    time.Time
		ok    bool
	}{
		{"holder in time", Lease{"w1", 3}, now, true},
		{"old epoch", Lease{"w1", 2}, now, false},
		{"another worker", Lease{"w2", 3}, now, false},
		{"expired", Lease{"w1", 3}, until, false},
	}
	for _, c := range cases {
		err := j.CheckLease(c.lease, c.at)
		if (err == nil) != c.ok || (err != nil && reason(err) != ReasonLeaseLost) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if err := (Job{}).CheckLease(Lease{"w1", 0}, now); reason(err) != ReasonLeaseLost {
		t.Errorf("an unleased job: %v", err)
	}
}

func TestWhoMayActOnATask(t *testing.T) {
	ann := Person{ID: "a1", Email: "ann@example.org", Roles: []string{"staff"}}
	ben := Person{ID: "b1", Email: "ben@example.org", Roles: []string{"supplier"}}
	admin := Person{ID: "x", Roles: []string{"admin"}}
	task := func() *UserTask { return &UserTask{State: TaskOpen, CandidateGroups: []string{"staff"}} }

	if !task().VisibleTo(ann) || task().VisibleTo(ben) || !task().VisibleTo(admin) {
		t.Error("visibility")
	}
	tk := task()
	if err := tk.CheckCompletion(ben); reason(err) != ReasonNotACandidate {
		t.Errorf("a person without the group completed: %v", err)
	}
	if err := tk.CheckCompletion(ann); err != nil || tk.Assignee != "ann@example.org" {
		t.Errorf("a candidate completing claims: %v %q", err, tk.Assignee)
	}
	tk = task()
	if err := tk.Claim(ann); err != nil {
		t.Fatal(err)
	}
	other := Person{ID: "c1", Email: "cy@example.org", Roles: []string{"staff"}}
	if err := tk.Claim(other); reason(err) != ReasonTaskAssigned {
		t.Errorf("claimed an assigned task: %v", err)
	}
	if err := tk.CheckCompletion(other); reason(err) != ReasonTaskAssigned {
		t.Errorf("completed someone else's task: %v", err)
	}
	if err := tk.CheckCompletion(Person{ID: "a1", Email: "ANN@example.org"}); err != nil {
		t.Errorf("the assignee, e-mail in another case: %v", err)
	}
	tk.State = TaskDone
	if err := tk.CheckCompletion(ann); reason(err) != ReasonTaskNotOpen {
		t.Errorf("completed twice: %v", err)
	}
	named := &UserTask{State: TaskOpen, CandidateUsers: []string{"BEN@example.org"}}
	if !named.IsCandidate(ben) {
		t.Error("a candidate user by e-mail")
	}
}

// A candidate group "role@organisation" is held by a person with the role in that organisation only: one
// buyer organisation's tasks are not another's.
func TestAGroupOfOneOrganisation(t *testing.T) {
	task := &UserTask{State: TaskOpen, CandidateGroups: []string{"buyer@Ministry of Justice"}}
	for _, c := range []struct {
		who  Person
		want bool
	}{
		{Person{Email: "dan@justice.gov.uk", Roles: []string{"buyer"}, Organisation: "Ministry of Justice"}, true},
		{Person{Email: "sarah@thanet.gov.uk", Roles: []string{"buyer"}, Organisation: "Thanet District Council"}, false},
		{Person{Email: "sup@justice.gov.uk", Roles: []string{"supplier"}, Organisation: "Ministry of Justice"}, false},
		{Person{Email: "nobody@example.org", Roles: []string{"buyer"}}, false},
		{Person{Email: "odd@example.org", Roles: []string{"buyer@Ministry of Justice"}}, false},
	} {
		if got := task.IsCandidate(c.who); got != c.want {
			t.Errorf("%s of %q: candidate %v, want %v", c.who.Email, c.who.Organisation, got, c.want)
		}
	}
	if (Person{Roles: []string{"buyer"}, Organisation: "x"}).Holds("buyer@") {
		t.Error("an empty organisation is no one's")
	}
}
