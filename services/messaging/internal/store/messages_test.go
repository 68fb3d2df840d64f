package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/govstackbb/marketplace/platform/apierr"
	"github.com/govstackbb/marketplace/platform/pgstore/pgtest"

	"github.com/govstackbb/marketplace/services/messaging"
	"github.com/govstackbb/marketplace/services/messaging/internal/app"
	"github.com/govstackbb/marketplace/services/messaging/internal/domain"
	"github.com/govstackbb/marketplace/services/messaging/internal/store"
)

// accept stores n scheduled messages of one request.
func accept(t *testing.T, st *store.Store, n int) {
	t.Helper()
	ctx := t.Context()
	err := st.InTx(ctx, func(tx app.Tx) error {
		req := app.Request{ID: uuid.NewString(), APIKeyName: "k", RequestUID: uuid.NewString(), Channel: domain.Email}
		if _, _, err := tx.ClaimRequest(ctx, req); err != nil {
			return err
		}
		msgs := make([]domain.Message, n)
		for i := range msgs {
			msgs[i] = domain.Message{ID: uuid.NewString(), RequestID: req.ID, Position: i, Channel: domain.Email,
				Recipient: fmt.Sprintf("r%d@example.org", i), Subject: "s", BodyText: "b", Status: domain.Scheduled}
		}
		return tx.InsertMessages(ctx, msgs)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func claim(t *testing.T, st *store.Store, n int, token string) []domain.Message {
	t.Helper()
	msgs, err := st.ClaimDue(t.Context(), n, time.Minute, func(m *domain.Message) error { return m.Claim(token) })
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// A claim takes each due message once, in recipient order; an attempt's outcome is saved only under the
// claim that still holds the message.
func TestClaimAndSaveUnderTheLease(t *testing.T) {
	st := store.New(pgtest.NewPool(t, messaging.Migrations()...))
	accept(t, st, 5)
	first, second := uuid.NewString(), uuid.NewString()
	a, b := claim(t, st, 3, first), claim(t, st, 10, second)
	if len(a) != 3 || len(b) != 2 || a[0].Position != 0 || a[2].Position != 2 || b[0].Position != 3 {
		t.Fatalf("claims %d and %d messages", len(a), len(b))
	}
	if a[0].Status != domain.Processing || a[0].Attempts != 1 || a[0].LeaseToken != first {
		t.Fatalf("claimed %+v", a[0])
	}
	if _, err := a[0].Attempted(nil, domain.RetryPolicy{MaxAttempts: 3}, time.Now()); err != nil {
		t.Fatal(err)
	}
	var lost []string
	err := st.InTx(t.Context(), func(tx app.Tx) error {
		var err error
		lost, err = tx.SaveClaimed(t.Context(), second, a[:1]) // the wrong claim
		return err
	})
	if err != nil || len(lost) != 1 {
		t.Fatalf("saved under another claim: lost %v, %v", lost, err)
	}
	err = st.InTx(t.Context(), func(tx app.Tx) error {
		var err error
		lost, err = tx.SaveClaimed(t.Context(), first, a[:1])
		return err
	})
	if err != nil || len(lost) != 0 {
		t.Fatalf("lost %v, %v", lost, err)
	}
	if n, err := st.RenewLease(t.Context(), first, time.Minute); err != nil || n != 2 {
		t.Fatalf("the first claim still holds %d messages (%v), want 2", n, err)
	}
}

// UpdateMessage hands the stored message to the change and keeps nothing when it refuses.
func TestUpdateMessage(t *testing.T) {
	st := store.New(pgtest.NewPool(t, messaging.Migrations()...))
	accept(t, st, 1)
	m := claim(t, st, 1, uuid.NewString())[0]
	requeue := func(m *domain.Message) ([]domain.Event, error) { return nil, m.Requeue() }
	if _, err := st.UpdateMessage(t.Context(), m.ID, requeue); apierr.KindOf(err) != apierr.KindFailedPrecondition {
		t.Fatalf("requeue of a processing message: %v", err)
	}
	refused := errors.New("no")
	if _, err := st.UpdateMessage(t.Context(), m.ID, func(*domain.Message) ([]domain.Event, error) { return nil, refused }); !errors.Is(err, refused) {
		t.Fatalf("the change's error: %v", err)
	}
	if _, err := st.UpdateMessage(t.Context(), uuid.NewString(), requeue); apierr.KindOf(err) != apierr.KindNotFound {
		t.Fatalf("no such message: %v", err)
	}
	if _, err := st.UpdateMessage(t.Context(), "not-a-uuid", requeue); apierr.KindOf(err) != apierr.KindInvalidArgument {
		t.Fatalf("not an id: %v", err)
	}
}
