package app

// Object-level authorisation (ARCHITECTURE.md §9: a citizen sees only their own appointments). The rules
// live here rather than in the handlers, so the BookingService and GovStack's CRUD surface, which reach the
// same data by different paths, cannot disagree.
//
// Who is who:
//   - A call with a verified user token (usertoken.FromContext) whose roles include citizen and neither staff
//     nor admin is a citizen's. Their subscriber id in this BB is the token's subject (the Registration
//     account id), so booking, listing and changing appointments are limited to that id.
//   - A staff or admin token sees and does everything.
//   - A call without a token comes from an IM client (a hospital system, a portal, another BB). Being an IM
//     client is not being every citizen (issue 11): such a client sees and changes people's appointments,
//     subscriber records, alert schedules (messages to people, with their contacts) and logs only when the
//     IM vouches that an operator granted it the personal-data right on this service
//     (imident.HasPersonalDataRight) — a hospital's back office. Any other IM client may still read the
//     directory, working hours and free slots, and book for a person new to this BB: it answers for the
//     person it books for and gets that one appointment back, with its booking code, but it cannot book for
//     a known person (that would change or use their stored details). For anything else on people's data
//     it is told (401 SIGN_IN_REQUIRED) to sign the person in.

import (
	"context"
	"slices"

	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/imident"
	"github.com/govstackbb/marketplace/platform/usertoken"

	"github.com/govstackbb/marketplace/services/scheduling/internal/domain"
)

// caller is who a call acts for, as far as object-level rules go.
type caller struct {
	citizen bool
	claims  usertoken.Claims // set for a citizen
	// anonymous is an IM client without a user token and without the personal-data right.
	anonymous bool
}

// callerOf classifies the call's verified token.
func callerOf(ctx context.Context) caller {
	c, ok := usertoken.FromContext(ctx)
	switch {
	case !ok:
		return caller{anonymous: !imident.HasPersonalDataRight(ctx)}
	case !c.HasRole(usertoken.RoleCitizen) || c.HasRole(usertoken.RoleStaff, usertoken.RoleAdmin):
		return caller{}
	}
	return caller{citizen: true, claims: c}
}

// requirePersonalData refuses an IM client that neither signs a person in nor holds the personal-data right.
func (c caller) requirePersonalData(what string) error {
	if !c.anonymous {
		return nil
	}
	return apierr.Unauthenticated(domain.ReasonSignInRequired, what+" are personal data: call with the citizen's "+
		"access token (Authorization: Bearer, from POST /auth/token) or a staff one; a hospital's back-office "+
		"system needs the IM's personal-data right on this service")
}

// storeSubscriber stores the person a booking is for. A caller who may act on people's data (the person's
// own token, a staff token, the personal-data right) creates the record or refreshes its details. An IM
// client without the right may only introduce a new person: refreshing a known person's details would let it
// redirect where their appointments' messages go (and with them the booking codes), and booking in the name
// of a known person is acting on their data. It learns no more than that the id is taken.
func storeSubscriber(ctx context.Context, tx Tx, c caller, sub domain.Subscriber) error {
	if !c.anonymous {
		return tx.UpsertSubscriber(ctx, sub)
	}
	created, err := tx.InsertNewSubscriber(ctx, sub)
	if err != nil || created {
		return err
	}
	return apierr.Unauthenticated(domain.ReasonSignInRequired, "subscriber "+sub.ID+" is already known here: booking "+
		"for a known person needs their access token (Authorization: Bearer, from POST /auth/token), a staff one, "+
		"or the IM's personal-data right on this service; without them, book under a new subscriber_id")
}

// owns reports whether the caller may see or change data of the subscriber: a citizen only their own.
func (c caller) owns(subscriberID string) bool {
	return !c.citizen || subscriberID == c.claims.Subject
}

// errNoAppointment is what a citizen is told about someone else's appointment: exactly what they would be
// told about an id that does not exist, so ids cannot be probed.
func errNoAppointment() error {
	return apierr.NotFound(domain.ReasonNotFound, "appointment not found")
}

func errNoSubscriber(id string) error {
	return apierr.NotFound(domain.ReasonNotFound, "subscriber "+id+" not found")
}

// bookingFor checks whom a booking is for: a citizen's defaults to themselves and may not be anyone else.
// Other callers book for whomever they name.
func (c caller) bookingFor(subscriberID string) (string, error) {
	if !c.citizen {
		return subscriberID, nil
	}
	if subscriberID != "" && subscriberID != c.claims.Subject {
		return "", apierr.PermissionDenied(domain.ReasonPermissionDenied, "a citizen can book only for themselves")
	}
	return c.claims.Subject, nil
}

// fromAccount completes a citizen's own subscriber details from their account, so a signed-in citizen
// need not repeat their name and e-mail; given details win — but not the national id: a citizen is recorded
// with their account's (the token's national_id), so that check-in with their own national id works.
func (c caller) fromAccount(s domain.Subscriber) domain.Subscriber {
	if !c.citizen || s.ID != c.claims.Subject {
		return s
	}
	if s.Name == "" {
		s.Name = c.claims.Name
	}
	if s.Email == "" && s.Phone == "" {
		s.Email = c.claims.Email
	}
	if c.claims.NationalID != "" {
		s.NationalID = c.claims.NationalID
	}
	return s
}

// staffOnly refuses a citizen what only staff, admins and IM clients may do (changing the directory,
// working hours, leave, alerts, deadlines and records).
func staffOnly(ctx context.Context, what string) error {
	if !callerOf(ctx).citizen {
		return nil
	}
	return apierr.PermissionDenied(domain.ReasonPermissionDenied,
		"a citizen cannot "+what+": sign in with a staff or admin account")
}

// ownAppointments narrows an appointment query to the citizen's own; ok is false when the query asks for
// someone else's, which then finds nothing.
func (c caller) ownAppointments(q AppointmentQuery) (AppointmentQuery, bool) {
	if !c.citizen {
		return q, true
	}
	if q.SubscriberID != "" && q.SubscriberID != c.claims.Subject {
		return q, false
	}
	q.SubscriberID = c.claims.Subject
	return q, true
}

// ownSubscriberIDs narrows a subscriber id filter to the citizen's own; ok is false when the filter names
// only others.
func (c caller) ownSubscriberIDs(ids []string) ([]string, bool) {
	if !c.citizen {
		return ids, true
	}
	if len(ids) > 0 && !slices.Contains(ids, c.claims.Subject) {
		return nil, false
	}
	return []string{c.claims.Subject}, true
}

// Documents of appointments (documents.go). A prescription is between the patient and the hospital that
// treats them: only that hospital's staff (their token's hospital_id is the appointment's entity) attach
// one, and only the patient, that hospital's staff and admins read them. A back-office IM client with the
// personal-data right does both, as it does everything else on appointments.

// uploader is who attaches a document: a staff member of one hospital, or a trusted IM client.
type uploader struct {
	hospitalID string // "" for the IM client, which may attach to any appointment
	name       string
}

// documentUploader is the caller as an uploader, or why they may not upload at all.
func documentUploader(ctx context.Context) (uploader, error) {
	c, ok := usertoken.FromContext(ctx)
	switch {
	case !ok && imident.HasPersonalDataRight(ctx):
		return uploader{name: "hospital system"}, nil
	case !ok:
		return uploader{}, callerOf(ctx).requirePersonalData("appointments' documents")
	case !c.HasRole(usertoken.RoleStaff) || c.HospitalID == "":
		return uploader{}, apierr.PermissionDenied(domain.ReasonPermissionDenied,
			"only the staff of the appointment's hospital attach documents to it: sign in with a hospital staff account")
	}
	return uploader{hospitalID: c.HospitalID, name: c.Name}, nil
}

// mayAttachTo refuses another hospital's appointment.
func (u uploader) mayAttachTo(a domain.Appointment) error {
	if u.hospitalID == "" || u.hospitalID == a.EntityID {
		return nil
	}
	return apierr.PermissionDenied(domain.ReasonPermissionDenied,
		"this appointment is at another hospital: only its own staff attach documents to it")
}

// mayReadDocuments reports whether the caller may read a's documents: the participant, the staff of a's
// hospital, an admin, or an IM client with the personal-data right (callers without it are refused before).
func mayReadDocuments(ctx context.Context, a domain.Appointment) bool {
	c, ok := usertoken.FromContext(ctx)
	switch {
	case !ok:
		return true
	case c.HasRole(usertoken.RoleAdmin):
		return true
	case c.HasRole(usertoken.RoleStaff) && c.HospitalID == a.EntityID:
		return true
	}
	return c.Subject == a.SubscriberID
}

func errNoDocument() error { return apierr.NotFound(domain.ReasonNotFound, "document not found") }
