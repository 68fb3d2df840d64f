package app

import (
	"context"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// Cancel cancels a booked appointment; its slot is free once this commits.
func (s *Service) Cancel(ctx context.Context, id, reason string) (domain.Appointment, error) {
	if err := domain.CheckID("appointment_id", id); err != nil {
		return domain.Appointment{}, err
	}
	var a domain.Appointment
	err := s.store.InTx(ctx, func(tx Tx) error {
		var p domain.Parties
		var err error
		if a, p, err = lockOwn(ctx, tx, id); err != nil {
			return err
		}
		cancelled, err := a.Cancel(reason, p)
		if err != nil {
			return err
		}
		if err := tx.SaveAppointment(ctx, a); err != nil {
			return err
		}
		if err := tx.CancelReminder(ctx, a.ID); err != nil {
			return err
		}
		tx.Publish(cancelled)
		return nil
	})
	return a, err
}

// Reschedule moves a booked appointment to another slot of its resource at the same entity, in one
// transaction: the new slot is taken and the old one freed together, or nothing changes.
func (s *Service) Reschedule(ctx context.Context, id, startTime string) (domain.Appointment, error) {
	if err := domain.CheckID("appointment_id", id); err != nil {
		return domain.Appointment{}, err
	}
	start, err := s.futureStart(startTime)
	if err != nil {
		return domain.Appointment{}, err
	}
	var a domain.Appointment
	err = s.store.InTx(ctx, func(tx Tx) error {
		var p domain.Parties
		var err error
		if a, p, err = lockOwn(ctx, tx, id); err != nil {
			return err
		}
		// Before the slot is looked up: a cancelled appointment is told so, whatever time was asked for.
		if err := a.RequireBooked(); err != nil {
			return err
		}
		slot, err := slotFor(ctx, tx, a.ResourceID, a.EntityID, start)
		if err != nil {
			return err
		}
		if err := tx.LockSlot(ctx, a.ResourceID, slot.Start); err != nil {
			return err
		}
		moved, err := a.Reschedule(slot, p)
		if err != nil {
			return err
		}
		if err := tx.SaveAppointment(ctx, a); err != nil {
			return err
		}
		if err := s.moveReminder(ctx, tx, a); err != nil {
			return err
		}
		tx.Publish(moved)
		return nil
	})
	return a, err
}

// moveReminder replaces the pending reminder of a by one for its new start.
func (s *Service) moveReminder(ctx context.Context, tx Tx, a domain.Appointment) error {
	if err := tx.CancelReminder(ctx, a.ID); err != nil {
		return err
	}
	return tx.InsertTimer(ctx, domain.NewReminder(newID(), a, s.now()))
}

// CheckIn re-confirms an appointment at the hospital after cross-verifying the citizen (domain.CheckIn).
func (s *Service) CheckIn(ctx context.Context, id string, claim domain.CheckInClaim) (domain.Appointment, error) {
	if err := domain.CheckID("appointment_id", id); err != nil {
		return domain.Appointment{}, err
	}
	if err := claim.Check(); err != nil {
		return domain.Appointment{}, err
	}
	var a domain.Appointment
	err := s.store.InTx(ctx, func(tx Tx) error {
		var p domain.Parties
		var err error
		if a, p, err = lockOwn(ctx, tx, id); err != nil {
			return err
		}
		checkedIn, err := a.CheckIn(claim, p, s.checkIn, s.now())
		if err != nil {
			return err
		}
		if err := tx.SaveAppointment(ctx, a); err != nil {
			return err
		}
		if err := tx.CancelReminder(ctx, a.ID); err != nil {
			return err
		}
		tx.Publish(checkedIn)
		return nil
	})
	return a, err
}

// lockOwn locks an appointment the caller may change and reads its parties. Someone else's appointment is
// not found for a citizen — checked before anything about it is, so that the status of others'
// appointments does not leak either.
func lockOwn(ctx context.Context, tx Tx, id string) (domain.Appointment, domain.Parties, error) {
	c := callerOf(ctx)
	if err := c.requirePersonalData("appointments"); err != nil {
		return domain.Appointment{}, domain.Parties{}, err
	}
	a, err := tx.LockAppointment(ctx, id)
	if err != nil {
		return a, domain.Parties{}, err
	}
	if !c.owns(a.SubscriberID) {
		return domain.Appointment{}, domain.Parties{}, errNoAppointment()
	}
	p, err := tx.Parties(ctx, a)
	return a, p, err
}
