package app

import (
	"context"

	"github.com/govstackbb/marketplace/platform/apierr"

	"github.com/govstackbb/marketplace/services/procurement/internal/domain"
)

// AskQuestion records a supplier's question during the enquiry period.
func (s *Service) AskQuestion(ctx context.Context, a Actor, tenderID, text string) (domain.Question, error) {
	if err := a.supplier(); err != nil {
		return domain.Question{}, err
	}
	if err := domain.CheckText("text", text, 4000); err != nil {
		return domain.Question{}, err
	}
	q := domain.Question{ID: newID(), TenderID: tenderID, AskedBy: a.ID, AskerEmail: a.Email, Text: text, AskedAt: s.now()}
	err := s.inTx(ctx, func(tx Tx) error {
		t, err := tx.Tender(ctx, tenderID, false)
		if err != nil {
			return err
		}
		if !t.InEnquiry(q.AskedAt) {
			return apierr.FailedPrecondition(domain.ReasonPeriodEnded, "questions are taken during the enquiry period only (it ends "+
				t.EnquiryEnd.UTC().Format("2006-01-02T15:04:05Z")+"); this tender is "+t.Status)
		}
		if err := tx.AddQuestion(ctx, q); err != nil {
			return err
		}
		tx.Publish(domain.Event{Type: domain.EvQuestionAsked, Tender: t, Question: &q, At: q.AskedAt})
		return nil
	})
	return q, err
}

// AnswerQuestion publishes the buyer's answer; every follower of the tender is told.
func (s *Service) AnswerQuestion(ctx context.Context, a Actor, tenderID, id, answer string) (domain.Question, error) {
	if err := domain.CheckText("answer", answer, 8000); err != nil {
		return domain.Question{}, err
	}
	var out domain.Question
	err := s.inTx(ctx, func(tx Tx) error {
		t, err := s.buyersTender(ctx, tx, a, tenderID, false)
		if err != nil {
			return err
		}
		if t.Ended() {
			return apierr.FailedPrecondition(domain.ReasonWrongStatus, "the tender is "+t.Status)
		}
		q, err := tx.Question(ctx, tenderID, id, true)
		if err != nil {
			return err
		}
		q.Answer, q.AnsweredAt = answer, s.now()
		if err := tx.AnswerQuestion(ctx, q); err != nil {
			return err
		}
		notify, err := tx.Followers(ctx, tenderID)
		if err != nil {
			return err
		}
		out = q
		return s.changed(ctx, tx, domain.Event{Type: domain.EvQuestionAnswered, Tender: t, Question: &q, Notify: notify, At: q.AnsweredAt}, "tenderUpdate")
	})
	return out, err
}

// ListQuestions lists a published tender's questions and answers.
func (s *Service) ListQuestions(ctx context.Context, a Actor, tenderID string) ([]domain.Question, error) {
	if _, err := s.GetTender(ctx, a, tenderID); err != nil {
		return nil, err
	}
	var out []domain.Question
	err := s.inTx(ctx, func(tx Tx) (err error) {
		out, err = tx.Questions(ctx, tenderID)
		return err
	})
	return out, err
}
