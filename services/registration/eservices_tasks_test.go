package registration_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
)

// openTask returns the open review task of a file.
func openTask(t testing.TB, bb *testBB, ctx context.Context, fileID string) string {
	t.Helper()
	list, err := bb.eservices.ListTasks(ctx, &registrationv1.ListTasksRequest{FileId: fileID})
	if err != nil || len(list.GetTasks()) != 1 || list.GetTasks()[0].GetStatus().GetCode() != "PENDING" {
		t.Fatalf("tasks of %s: %v, %v", fileID, list, err)
	}
	return list.GetTasks()[0].GetTaskId()
}

func decision(t testing.TB, taskID, word, comment string) *registrationv1.CompleteTaskRequest {
	t.Helper()
	data, err := structpb.NewStruct(map[string]any{"decision": word, "comment": comment})
	if err != nil {
		t.Fatal(err)
	}
	return &registrationv1.CompleteTaskRequest{TaskId: taskID, AdditionalData: &registrationv1.AdditionalData{Data: data}}
}

func TestEServicesCompleteTask(t *testing.T) {
	bb := startBB(t)
	serviceID, _ := addTestService(t, bb)
	file := submitGeneric(t, bb, serviceID, "applicant-1")
	ctx := withIM(withToken(context.Background(), bb.adminToken(t)))
	taskID := openTask(t, bb, ctx, file.GetFileId())

	detail, err := bb.eservices.GetTask(ctx, &registrationv1.GetTaskRequest{TaskId: taskID})
	if err != nil || detail.GetTask().GetData().AsMap()["name"] != "Ann" || detail.GetTask().GetFormVariables().AsMap()["decision"] == nil {
		t.Fatalf("task detail: %v, %v", detail, err)
	}
	_, err = bb.eservices.CompleteTask(ctx, decision(t, taskID, "maybe", ""))
	wantReason(t, err, codes.InvalidArgument, "INVALID_DECISION")
	_, err = bb.eservices.CompleteTask(withIM(context.Background()), decision(t, taskID, "approve", ""))
	wantCode(t, err, codes.Unauthenticated)

	done, err := bb.eservices.CompleteTask(ctx, decision(t, taskID, "approve", "all in order"))
	if err != nil {
		t.Fatal(err)
	}
	if done.GetStatus().GetCode() != "APPROVED" || done.GetFileId() != file.GetFileId() || done.GetVariables().AsMap()["comment"] != "all in order" {
		t.Errorf("completion = %v", done)
	}
	got, err := bb.eservices.GetApplication(ctx, &registrationv1.GetApplicationRequest{FileId: file.GetFileId()})
	if err != nil || got.GetApplicationFile().GetStatus().GetCode() != "APPROVED" || !got.GetApplicationFile().GetEnded() {
		t.Fatalf("file after approval: %v, %v", got, err)
	}
	ev := bb.lastEventFor(t, "govstack.registration.v1.application.decided", "fileId", file.GetFileId())
	if ev["status"] != "APPROVED" || ev["comment"] != "all in order" || ev["operatorId"] == "" {
		t.Errorf("decided event = %v", ev)
	}
	if n := bb.count(t, `SELECT count(*) FROM audit WHERE action = 'task.complete' AND subject = $1 AND detail->>'decision' = 'approve'`, taskID); n != 1 {
		t.Errorf("%d audit rows for the decision", n)
	}
	if _, err := bb.pool.Exec(context.Background(), `DELETE FROM audit`); err == nil {
		t.Error("audit rows could be deleted")
	}
	_, err = bb.eservices.CompleteTask(ctx, decision(t, taskID, "reject", ""))
	wantReason(t, err, codes.FailedPrecondition, "TASK_COMPLETED")
	_, err = bb.eservices.UpdateApplication(ctx, &registrationv1.UpdateApplicationRequest{FileId: file.GetFileId(),
		Application: &registrationv1.ApplicationFileSubmit{ApplicationName: "renamed"}})
	wantReason(t, err, codes.FailedPrecondition, "APPLICATION_ENDED")
}

func TestEServicesOperatorUpdate(t *testing.T) {
	bb := startBB(t)
	serviceID, _ := addTestService(t, bb)
	file := submitGeneric(t, bb, serviceID, "applicant-1")
	ctx := withIM(withToken(context.Background(), bb.adminToken(t)))
	upd := func(data map[string]any) (*registrationv1.UpdateApplicationResponse, error) {
		return bb.eservices.UpdateApplication(ctx, &registrationv1.UpdateApplicationRequest{FileId: file.GetFileId(),
			Application: &registrationv1.ApplicationFileSubmit{FormData: formData(t, data)}})
	}
	_, err := upd(map[string]any{"name": "Ann"})
	wantViolation(t, err, "/formData/data/email")
	got, err := upd(map[string]any{"name": "Ann B", "email": "annb@example.org"})
	if err != nil || got.GetApplicationFile().GetApplicationData().GetFormData().GetData().AsMap()["name"] != "Ann B" {
		t.Fatalf("update: %v, %v", got, err)
	}
	if n := bb.count(t, `SELECT count(*) FROM audit WHERE action = 'application.update' AND subject = $1`, file.GetFileId()); n != 1 {
		t.Errorf("%d audit rows for the update", n)
	}
	_, err = bb.eservices.UpdateApplication(withIM(context.Background()), &registrationv1.UpdateApplicationRequest{FileId: file.GetFileId()})
	wantCode(t, err, codes.Unauthenticated)
}

func TestEServicesConcurrentCompletionsOneWins(t *testing.T) {
	bb := startBB(t)
	serviceID, _ := addTestService(t, bb)
	file := submitGeneric(t, bb, serviceID, "applicant-1")
	ctx := withIM(withToken(context.Background(), bb.adminToken(t)))
	taskID := openTask(t, bb, ctx, file.GetFileId())
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			word := []string{"approve", "reject"}[i%2]
			_, errs[i] = bb.eservices.CompleteTask(ctx, decision(t, taskID, word, ""))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch status.Code(err) {
		case codes.OK:
			ok++
		case codes.FailedPrecondition:
		default:
			t.Errorf("unexpected %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d completions succeeded, want exactly 1", ok)
	}
	if n := len(bb.events(t, "govstack.registration.v1.application.decided")); n != 1 {
		t.Errorf("%d decided events, want 1", n)
	}
	if n := bb.count(t, `SELECT count(*) FROM audit WHERE action = 'task.complete'`); n != 1 {
		t.Errorf("%d audit rows, want 1", n)
	}
}

func TestEServicesStatistics(t *testing.T) {
	bb := startBB(t)
	serviceID, _ := addTestService(t, bb)
	ctx := withIM(withToken(context.Background(), bb.adminToken(t)))
	words := []string{"approve", "approve", "reject", "sendback"}
	days := []string{"2026-01-10", "2026-01-20", "2026-02-05", "2026-03-01"}
	for i, w := range words {
		file := submitGeneric(t, bb, serviceID, "applicant")
		taskID := openTask(t, bb, ctx, file.GetFileId())
		if _, err := bb.eservices.CompleteTask(ctx, decision(t, taskID, w, "")); err != nil {
			t.Fatal(err)
		}
		// Backdate the decision so the periods are known.
		day, _ := time.Parse("2006-01-02", days[i])
		if _, err := bb.pool.Exec(context.Background(), `UPDATE tasks SET completed = $2 WHERE task_id = $1`, taskID, day.Add(12*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	stats := func(r *registrationv1.GetStatisticsRequest) []*registrationv1.Statistics {
		t.Helper()
		resp, err := bb.eservices.GetStatistics(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetStatistics()
	}
	months := stats(&registrationv1.GetStatisticsRequest{StartDate: "2026-01-01", EndDate: "2026-03-31", Timeframe: "month", RegistrationName: "fishing licence"})
	if len(months) != 3 {
		t.Fatalf("month rows = %v", months)
	}
	want := [][4]int32{{2, 2, 0, 0}, {1, 0, 0, 1}, {1, 0, 1, 0}}
	for i, m := range months {
		got := [4]int32{m.GetProcessed(), m.GetApproved(), m.GetSentBack(), m.GetRejected()}
		if got != want[i] || !m.GetReferences().GetTimeframeMonth() {
			t.Errorf("month %d: %v, want %v", i, m, want[i])
		}
	}
	if r := months[1].GetReferences(); r.GetStartDate() != "2026-02-01" || r.GetEndDate() != "2026-02-28" {
		t.Errorf("February references = %v", r)
	}
	whole := stats(&registrationv1.GetStatisticsRequest{StartDate: "2026-01-15", EndDate: "2026-02-05"})
	if len(whole) != 1 || whole[0].GetProcessed() != 2 || whole[0].GetApproved() != 1 || whole[0].GetRejected() != 1 {
		t.Errorf("range = %v", whole)
	}
	// A service nobody has is the spec's 404 "Requests not found", not a row of zeros.
	_, err := bb.eservices.GetStatistics(ctx, &registrationv1.GetStatisticsRequest{RegistrationName: "no such service"})
	wantReason(t, err, codes.NotFound, "REQUESTS_NOT_FOUND")
	_, err = bb.eservices.GetStatistics(ctx, &registrationv1.GetStatisticsRequest{StartDate: "2026-13-01"})
	wantReason(t, err, codes.InvalidArgument, "INVALID_DATE")
	wantViolation(t, err, "startDate")
	_, err = bb.eservices.GetStatistics(ctx, &registrationv1.GetStatisticsRequest{Timeframe: "fortnight"})
	wantViolation(t, err, "timeframe")
	_, err = bb.eservices.GetStatistics(ctx, &registrationv1.GetStatisticsRequest{StartDate: "2026-02-01", EndDate: "2026-01-01"})
	wantCode(t, err, codes.InvalidArgument)
}
