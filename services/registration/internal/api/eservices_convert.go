package api

import (
	"math"
	"time"

	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	registrationv1 "github.com/govstackbb/marketplace/proto/govstack/registration/v1"
	"github.com/govstackbb/marketplace/services/registration/internal/app"
	"github.com/govstackbb/marketplace/services/registration/internal/domain"
)

func servicePB(s domain.Service) *registrationv1.Service {
	out := &registrationv1.Service{Id: s.ID, Name: s.Name, Version: s.Version, Type: s.Type,
		IsExecutable: s.IsExecutable, IsClosed: s.IsClosed, Description: s.Description}
	for _, p := range s.Body {
		out.ServiceBody = append(out.ServiceBody, &registrationv1.Property{Code: p.Code, Value: p.Value})
	}
	return out
}

func statusPB(code string) *registrationv1.Status {
	return &registrationv1.Status{Code: code, Title: domain.StatusTitle(code)}
}

func ts(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

// structOf converts form data to a Struct; stored data came from a Struct, so it always converts.
func structOf(m map[string]any) *structpb.Struct {
	s, err := structpb.NewStruct(m)
	if err != nil {
		return &structpb.Struct{}
	}
	return s
}

func applicationInput(a *registrationv1.ApplicationFileSubmit) app.ApplicationInput {
	return app.ApplicationInput{ApplicantID: a.GetApplicantId(), ApplicationName: a.GetApplicationName(),
		EFormID: a.GetFormData().GetEFormId(), Data: a.GetFormData().GetData().AsMap(), DocumentURLs: a.GetDocumentUrls()}
}

func applicationPB(a domain.Application) *registrationv1.ApplicationFile {
	return &registrationv1.ApplicationFile{FileId: a.FileID, Registered: ts(a.Registered), ServiceId: a.ServiceID,
		ServiceName: a.ServiceName, Status: statusPB(a.Status), Ended: a.Ended,
		ApplicationData: &registrationv1.ApplicationFileSubmit{ApplicationName: a.Name, ApplicantId: a.ApplicantID,
			Created: ts(a.Created), FormData: &registrationv1.FormData{Data: structOf(a.Data), EFormId: a.EFormID},
			DocumentUrls: a.DocumentURLs}}
}

func applicationItemPB(it domain.ApplicationItem) *registrationv1.ApplicationListItem {
	return &registrationv1.ApplicationListItem{FileId: it.FileID, MainTaskId: it.Task.ID, TaskTitle: it.Task.Name,
		RoleId: it.Task.RoleID, RoleName: it.Task.RoleID, AssigneeId: it.Task.AssigneeID, OperatorName: it.Task.CompletedByName,
		Status: statusPB(it.Status), ApplicantId: it.ApplicantID, Created: ts(it.Created), Registered: ts(it.Registered),
		Description: it.Name, ServiceName: it.ServiceName, ServiceId: it.ServiceID, EformId: it.EFormID,
		DocumentUrls: it.DocumentURLs}
}

func taskPB(t domain.Task) *registrationv1.Task {
	return &registrationv1.Task{TaskId: t.ID, MainTaskId: t.MainTaskID, Name: t.Name, AssigneeId: t.AssigneeID,
		RoleId: t.RoleID, Created: ts(t.Created), Description: t.Description, ServiceId: t.ServiceID,
		ServiceName: t.ServiceName, FileId: t.FileID, EFormId: t.EFormID, Status: statusPB(t.GovStackStatus())}
}

func taskDetailPB(d app.TaskDetail) (*registrationv1.TaskDetail, error) {
	vars, err := structpb.NewStruct(d.FormVariables)
	if err != nil {
		return nil, err
	}
	t := d.Task
	return &registrationv1.TaskDetail{TaskId: t.ID, TaskName: t.Name, AssigneeId: t.AssigneeID, RoleId: t.RoleID,
		Created: ts(t.Created), Description: t.Description, FileId: t.FileID, ServiceId: t.ServiceID,
		ServiceName: t.ServiceName, EFormId: t.EFormID, FormVariables: vars, Status: statusPB(t.GovStackStatus()),
		Data: structOf(d.Data)}, nil
}

func statisticsPB(q domain.StatsQuery, r domain.StatsRow) *registrationv1.Statistics {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(domain.DateLayout)
	}
	return &registrationv1.Statistics{Processed: count32(r.Processed), Approved: count32(r.Approved),
		SentBack: count32(r.SentBack), Rejected: count32(r.Rejected),
		References: &registrationv1.StatisticsReferences{StartDate: day(r.Start), EndDate: day(r.End),
			RegistrationName: q.RegistrationName, Operator: q.Operator, Role: q.Role,
			TimeframeDay: q.Timeframe == "day", TimeframeWeek: q.Timeframe == "week",
			TimeframeMonth: q.Timeframe == "month", TimeframeYear: q.Timeframe == "year"}}
}

// count32 is a count as the API types it (a JSON integer); it saturates rather than wraps.
func count32(n int64) int32 {
	return int32(min(n, math.MaxInt32))
}
