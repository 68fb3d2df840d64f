package domain

import (
	"slices"
	"testing"
	"time"

	"github.com/govstackbb/marketplace/platform/apierr"
)

func TestApplicationSubmit(t *testing.T) {
	tests := []struct {
		name, status, want string
		ok                 bool
	}{
		{"generic review", "", StatusPending, true},
		{"decided by its flow at once", StatusApproved, StatusApproved, true},
		{"unknown status", "DONE", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Application{FileID: "f1", Status: tt.status}
			ev, err := a.Submit(t0)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if !tt.ok {
				return
			}
			if a.Status != tt.want || !a.Created.Equal(t0) || !a.Registered.Equal(t0) || !a.Updated.Equal(t0) {
				t.Errorf("file %+v", a)
			}
			if ev.File.FileID != "f1" || ev.File.Status != tt.want || !ev.At.Equal(t0) {
				t.Errorf("event %+v", ev)
			}
		})
	}
}

func TestApplicationDecide(t *testing.T) {
	tests := []struct {
		name      string
		file      Application
		decision  string
		wantEnded bool
		reason    string // the refusal's reason; "" when it is accepted
	}{
		{"approve ends", Application{FileID: "f1", Status: StatusPending}, StatusApproved, true, ""},
		{"reject ends", Application{FileID: "f1", Status: StatusPending}, StatusRejected, true, ""},
		{"send back keeps it open", Application{FileID: "f1", Status: StatusPending}, StatusSendBack, false, ""},
		{"a sent-back file can be decided again", Application{FileID: "f1", Status: StatusSendBack}, StatusApproved, true, ""},
		{"an ended file takes no decision", Application{FileID: "f1", Status: StatusRejected, Ended: true}, StatusApproved, true, "APPLICATION_ENDED"},
		{"PENDING is no decision", Application{FileID: "f1", Status: StatusPending}, StatusPending, false, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file
			ev, err := a.Decide(tt.decision, "why", "op-1", t0)
			if tt.reason != "" {
				if err == nil {
					t.Fatal("accepted")
				}
				if e, ok := apierr.As(err); tt.reason != "-" && (!ok || e.Reason != tt.reason) {
					t.Errorf("err = %v, want reason %s", err, tt.reason)
				}
				if a.Status != tt.file.Status {
					t.Errorf("a refused decision changed the status to %s", a.Status)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Status != tt.decision || a.Ended != tt.wantEnded || !a.Updated.Equal(t0) {
				t.Errorf("file %+v", a)
			}
			if ev.File.Status != tt.decision || ev.Comment != "why" || ev.OperatorID != "op-1" {
				t.Errorf("event %+v", ev)
			}
		})
	}
}

func TestApplicationEdit(t *testing.T) {
	tests := []struct {
		name        string
		ended       bool
		edit        ApplicationEdit
		wantChanged []string
		ok          bool
	}{
		{"nothing given", false, ApplicationEdit{}, []string{}, true},
		{"everything", false, ApplicationEdit{Name: "n2", Data: map[string]any{"x": 2}, DocumentURLs: []string{"/documents/d"}},
			[]string{"formData", "applicationName", "documentUrls"}, true},
		{"ended", true, ApplicationEdit{Name: "n2"}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Application{FileID: "f1", Name: "n1", Status: StatusApproved, Ended: tt.ended}
			changed, err := a.Edit(tt.edit, t0)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if !slices.Equal(changed, tt.wantChanged) {
				t.Errorf("changed %v, want %v", changed, tt.wantChanged)
			}
			if tt.ok && tt.edit.Name != "" && a.Name != tt.edit.Name {
				t.Errorf("name %q", a.Name)
			}
			if !tt.ok && a.Name != "n1" {
				t.Errorf("an ended file changed: %+v", a)
			}
		})
	}
}

func TestApplicationApproveByActivation(t *testing.T) {
	a := Application{FileID: "f1", Status: StatusPending}
	a.ApproveByActivation(t0)
	if a.Status != StatusApproved || !a.Ended || !a.Updated.Equal(t0) {
		t.Errorf("file %+v", a)
	}
}

func TestTaskComplete(t *testing.T) {
	tests := []struct {
		name   string
		task   Task
		ok     bool
		status string // GovStackStatus afterwards
	}{
		{"pending", Task{ID: "t1", Status: TaskPending}, true, StatusSendBack},
		{"completed", Task{ID: "t1", Status: TaskCompleted, Decision: StatusApproved, Completed: t0.Add(-time.Hour)}, false, StatusApproved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := tt.task
			if task.GovStackStatus() != StatusPending && tt.ok {
				t.Errorf("an open task shows %s", task.GovStackStatus())
			}
			err := task.Complete(StatusSendBack, "fix it", "op-1", "Ada", t0)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if !tt.ok {
				if e, ok := apierr.As(err); !ok || e.Reason != "TASK_COMPLETED" || e.Message != "task t1 was already completed (approve) on 2025-03-01 08:00 UTC" {
					t.Errorf("err = %v", err)
				}
			} else if task.Status != TaskCompleted || task.CompletedBy != "op-1" || task.CompletedByName != "Ada" || task.Comment != "fix it" || !task.Completed.Equal(t0) {
				t.Errorf("task %+v", task)
			}
			if got := task.GovStackStatus(); got != tt.status {
				t.Errorf("GovStackStatus = %s, want %s", got, tt.status)
			}
		})
	}
}

func TestDecisionWord(t *testing.T) {
	for word, status := range Decisions {
		if got := DecisionWord(status); got != word {
			t.Errorf("DecisionWord(%s) = %q, want %q", status, got, word)
		}
	}
	if got := DecisionWord(StatusPending); got != "" {
		t.Errorf("DecisionWord(PENDING) = %q", got)
	}
}
