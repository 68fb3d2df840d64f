// Package api is procurement's gRPC surface (REST through the IM gateway): each handler decodes, calls the
// use case with the caller (the verified user token), and encodes.
package api

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/govstackbb/marketplace/platform/usertoken"
	procv1 "github.com/govstackbb/marketplace/proto/govstack/procurement/v1"
	"github.com/govstackbb/marketplace/services/procurement/internal/app"
	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// Handlers implement ProcurementService.
type Handlers struct {
	procv1.UnimplementedProcurementServiceServer
	app *app.Service
}

// New returns the handlers on a.
func New(a *app.Service) *Handlers { return &Handlers{app: a} }

func actor(ctx context.Context) app.Actor {
	c, ok := usertoken.FromContext(ctx)
	if !ok {
		return app.Actor{}
	}
	return app.Actor{ID: c.Subject, Email: c.Email, Name: c.Name, Org: c.Organisation, CompanyID: c.CompanyID, Roles: c.Roles}
}

// created answers 201 through the gateway.
func created(ctx context.Context) { _ = grpc.SetHeader(ctx, metadata.Pairs("x-http-code", "201")) }

func (h *Handlers) CreateTender(ctx context.Context, r *procv1.CreateTenderRequest) (*procv1.CreateTenderResponse, error) {
	t, err := h.app.CreateTender(ctx, actor(ctx), tenderIn(r.GetTender()))
	if err != nil {
		return nil, err
	}
	created(ctx)
	return &procv1.CreateTenderResponse{Tender: tenderPB(t)}, nil
}

func (h *Handlers) UpdateTender(ctx context.Context, r *procv1.UpdateTenderRequest) (*procv1.UpdateTenderResponse, error) {
	t, err := h.app.UpdateTender(ctx, actor(ctx), r.GetTenderId(), tenderIn(r.GetTender()))
	return &procv1.UpdateTenderResponse{Tender: tenderPB(t)}, err
}

func (h *Handlers) GetTender(ctx context.Context, r *procv1.GetTenderRequest) (*procv1.GetTenderResponse, error) {
	t, err := h.app.GetTender(ctx, actor(ctx), r.GetTenderId())
	return &procv1.GetTenderResponse{Tender: tenderPB(t)}, err
}

func (h *Handlers) ListTenders(ctx context.Context, r *procv1.ListTendersRequest) (*procv1.ListTendersResponse, error) {
	q, err := domain.NewTenderQuery(r.GetStatus(), r.GetQ(), r.GetCpv(), r.GetBuyerOrganisation(), r.GetBefore(),
		int(r.GetLimit()))
	if err != nil {
		return nil, err
	}
	ts, err := h.app.ListTenders(ctx, actor(ctx), q)
	out := &procv1.ListTendersResponse{Tenders: []*procv1.Tender{}}
	for _, t := range ts {
		out.Tenders = append(out.Tenders, tenderPB(t))
	}
	return out, err
}

func (h *Handlers) PublishTender(ctx context.Context, r *procv1.PublishTenderRequest) (*procv1.PublishTenderResponse, error) {
	t, err := h.app.PublishTender(ctx, actor(ctx), r.GetTenderId())
	return &procv1.PublishTenderResponse{Tender: tenderPB(t)}, err
}

func (h *Handlers) CancelTender(ctx context.Context, r *procv1.CancelTenderRequest) (*procv1.CancelTenderResponse, error) {
	t, err := h.app.CancelTender(ctx, actor(ctx), r.GetTenderId(), r.GetReason())
	return &procv1.CancelTenderResponse{Tender: tenderPB(t)}, err
}

func (h *Handlers) AskQuestion(ctx context.Context, r *procv1.AskQuestionRequest) (*procv1.AskQuestionResponse, error) {
	q, err := h.app.AskQuestion(ctx, actor(ctx), r.GetTenderId(), r.GetText())
	if err != nil {
		return nil, err
	}
	created(ctx)
	return &procv1.AskQuestionResponse{Question: questionPB(q)}, nil
}

func (h *Handlers) ListQuestions(ctx context.Context, r *procv1.ListQuestionsRequest) (*procv1.ListQuestionsResponse, error) {
	qs, err := h.app.ListQuestions(ctx, actor(ctx), r.GetTenderId())
	out := &procv1.ListQuestionsResponse{Questions: []*procv1.Question{}}
	for _, q := range qs {
		out.Questions = append(out.Questions, questionPB(q))
	}
	return out, err
}

func (h *Handlers) AnswerQuestion(ctx context.Context, r *procv1.AnswerQuestionRequest) (*procv1.AnswerQuestionResponse, error) {
	q, err := h.app.AnswerQuestion(ctx, actor(ctx), r.GetTenderId(), r.GetQuestionId(), r.GetAnswer())
	return &procv1.AnswerQuestionResponse{Question: questionPB(q)}, err
}

func (h *Handlers) SubmitBid(ctx context.Context, r *procv1.SubmitBidRequest) (*procv1.SubmitBidResponse, error) {
	b, err := h.app.SubmitBid(ctx, actor(ctx), r.GetTenderId(), domain.BidContents{Price: r.GetPrice(), Proposal: r.GetProposal(),
		Documents: documentsIn(r.GetDocuments())})
	if err != nil {
		return nil, err
	}
	created(ctx)
	return &procv1.SubmitBidResponse{Bid: bidPB(b)}, nil
}

func (h *Handlers) UpdateBid(ctx context.Context, r *procv1.UpdateBidRequest) (*procv1.UpdateBidResponse, error) {
	b, err := h.app.UpdateBid(ctx, actor(ctx), r.GetTenderId(), r.GetBidId(), domain.BidContents{Price: r.GetPrice(), Proposal: r.GetProposal(),
		Documents: documentsIn(r.GetDocuments())})
	return &procv1.UpdateBidResponse{Bid: bidPB(b)}, err
}

func (h *Handlers) WithdrawBid(ctx context.Context, r *procv1.WithdrawBidRequest) (*procv1.WithdrawBidResponse, error) {
	b, err := h.app.WithdrawBid(ctx, actor(ctx), r.GetTenderId(), r.GetBidId())
	return &procv1.WithdrawBidResponse{Bid: bidPB(b)}, err
}

func (h *Handlers) ListBids(ctx context.Context, r *procv1.ListBidsRequest) (*procv1.ListBidsResponse, error) {
	bids, err := h.app.ListBids(ctx, actor(ctx), r.GetTenderId())
	out := &procv1.ListBidsResponse{Bids: []*procv1.Bid{}}
	for _, b := range bids {
		out.Bids = append(out.Bids, bidPB(b))
	}
	return out, err
}

func (h *Handlers) ListMyBids(ctx context.Context, r *procv1.ListMyBidsRequest) (*procv1.ListMyBidsResponse, error) {
	q, err := domain.NewBidQuery(r.GetBefore(), int(r.GetLimit()))
	if err != nil {
		return nil, err
	}
	bids, err := h.app.ListMyBids(ctx, actor(ctx), q)
	out := &procv1.ListMyBidsResponse{Bids: []*procv1.SupplierBid{}}
	for _, b := range bids {
		out.Bids = append(out.Bids, supplierBidPB(b))
	}
	return out, err
}

func (h *Handlers) DeclareInterest(ctx context.Context, r *procv1.DeclareInterestRequest) (*procv1.DeclareInterestResponse, error) {
	return &procv1.DeclareInterestResponse{}, h.app.DeclareInterest(ctx, actor(ctx), r.GetTenderId(), r.GetConflict(), r.GetStatement())
}

func (h *Handlers) ScoreBid(ctx context.Context, r *procv1.ScoreBidRequest) (*procv1.ScoreBidResponse, error) {
	var in []domain.Score
	for _, s := range r.GetScores() {
		in = append(in, domain.Score{CriterionID: s.GetCriterionId(), Score: int(s.GetScore()), Reason: s.GetReason()})
	}
	scores, err := h.app.ScoreBid(ctx, actor(ctx), r.GetTenderId(), r.GetBidId(), in)
	out := &procv1.ScoreBidResponse{Scores: []*procv1.Score{}}
	for _, s := range scores {
		out.Scores = append(out.Scores, scorePB(s))
	}
	return out, err
}

func (h *Handlers) GetEvaluation(ctx context.Context, r *procv1.GetEvaluationRequest) (*procv1.GetEvaluationResponse, error) {
	e, err := h.app.GetEvaluation(ctx, actor(ctx), r.GetTenderId())
	return &procv1.GetEvaluationResponse{Evaluation: evaluationPB(r.GetTenderId(), e)}, err
}

func (h *Handlers) ListAwards(ctx context.Context, r *procv1.ListAwardsRequest) (*procv1.ListAwardsResponse, error) {
	as, err := h.app.ListAwards(ctx, r.GetTenderId())
	out := &procv1.ListAwardsResponse{Awards: []*procv1.Award{}}
	for _, a := range as {
		out.Awards = append(out.Awards, awardPB(a))
	}
	return out, err
}

func (h *Handlers) GetAward(ctx context.Context, r *procv1.GetAwardRequest) (*procv1.GetAwardResponse, error) {
	a, err := h.app.GetAward(ctx, r.GetAwardId())
	return &procv1.GetAwardResponse{Award: awardPB(a)}, err
}

func (h *Handlers) FileComplaint(ctx context.Context, r *procv1.FileComplaintRequest) (*procv1.FileComplaintResponse, error) {
	c, err := h.app.FileComplaint(ctx, actor(ctx), r.GetAwardId(), r.GetText())
	if err != nil {
		return nil, err
	}
	created(ctx)
	return &procv1.FileComplaintResponse{Complaint: complaintPB(c)}, nil
}

func (h *Handlers) ResolveComplaint(ctx context.Context, r *procv1.ResolveComplaintRequest) (*procv1.ResolveComplaintResponse, error) {
	c, err := h.app.ResolveComplaint(ctx, actor(ctx), r.GetAwardId(), r.GetComplaintId(), r.GetResolution())
	return &procv1.ResolveComplaintResponse{Complaint: complaintPB(c)}, err
}

func (h *Handlers) SignContract(ctx context.Context, r *procv1.SignContractRequest) (*procv1.SignContractResponse, error) {
	in, err := contractIn(r)
	if err != nil {
		return nil, err
	}
	c, err := h.app.SignContract(ctx, actor(ctx), r.GetAwardId(), in)
	if err != nil {
		return nil, err
	}
	created(ctx)
	return &procv1.SignContractResponse{Contract: contractPB(c)}, nil
}

func (h *Handlers) ListContracts(ctx context.Context, r *procv1.ListContractsRequest) (*procv1.ListContractsResponse, error) {
	cs, err := h.app.ListContracts(ctx, r.GetTenderId())
	out := &procv1.ListContractsResponse{Contracts: []*procv1.Contract{}}
	for _, c := range cs {
		out.Contracts = append(out.Contracts, contractPB(c))
	}
	return out, err
}

func (h *Handlers) GetContract(ctx context.Context, r *procv1.GetContractRequest) (*procv1.GetContractResponse, error) {
	c, err := h.app.GetContract(ctx, r.GetContractId())
	return &procv1.GetContractResponse{Contract: contractPB(c)}, err
}

func (h *Handlers) ConfirmDelivery(ctx context.Context, r *procv1.ConfirmDeliveryRequest) (*procv1.ConfirmDeliveryResponse, error) {
	c, err := h.app.ConfirmDelivery(ctx, actor(ctx), r.GetContractId(), r.GetMilestoneId())
	return &procv1.ConfirmDeliveryResponse{Contract: contractPB(c)}, err
}
