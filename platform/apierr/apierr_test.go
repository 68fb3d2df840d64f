package apierr

import (
	"errors"
	"fmt"
	"testing"
)

func TestConstructorsSetKind(t *testing.T) {
	tests := []struct {
		err  error
		kind Kind
	}{
		{Invalid("R", "m"), KindInvalidArgument},
		{NotFound("R", "m"), KindNotFound},
		{AlreadyExists("R", "m"), KindAlreadyExists},
		{FailedPrecondition("R", "m"), KindFailedPrecondition},
		{Aborted("R", "m"), KindAborted},
		{Unauthenticated("R", "m"), KindUnauthenticated},
		{PermissionDenied("R", "m"), KindPermissionDenied},
		{ResourceExhausted("R", "m"), KindResourceExhausted},
		{Unavailable("R", "m"), KindUnavailable},
		{DeadlineExceeded("R", "m"), KindDeadlineExceeded},
		{New(KindInternal, "R", "m"), KindInternal},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			if got := KindOf(tt.err); got != tt.kind {
				t.Errorf("KindOf = %v, want %v", got, tt.kind)
			}
			if got := KindOf(fmt.Errorf("context: %w", tt.err)); got != tt.kind {
				t.Errorf("KindOf(wrapped) = %v, want %v", got, tt.kind)
			}
			e, ok := As(tt.err)
			if !ok || e.Reason != "R" || e.Message != "m" || tt.err.Error() != "m" {
				t.Errorf("As = %+v, %v; Error() = %q", e, ok, tt.err.Error())
			}
		})
	}
}

func TestKindOfPlainError(t *testing.T) {
	if got := KindOf(errors.New("x")); got != KindInternal {
		t.Errorf("KindOf(plain) = %v, want INTERNAL", got)
	}
	if _, ok := As(errors.New("x")); ok {
		t.Error("As found an *Error in a plain error")
	}
}

func TestWrapKeepsCause(t *testing.T) {
	cause := errors.New("connection refused")
	err := Wrap(KindUnavailable, "DB_DOWN", "the database is unavailable", cause)
	if !errors.Is(err, cause) {
		t.Error("cause lost for errors.Is")
	}
	if err.Error() != "the database is unavailable: connection refused" {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestInvalidViolations(t *testing.T) {
	v := FieldViolation{Field: "name", Description: "required"}
	e, _ := As(Invalid("BAD", "bad input", v))
	if len(e.Violations) != 1 || e.Violations[0] != v {
		t.Errorf("violations = %v", e.Violations)
	}
}

func TestKindString(t *testing.T) {
	if KindNotFound.String() != "NOT_FOUND" || Kind(42).String() != "Kind(42)" {
		t.Errorf("got %s, %s", KindNotFound, Kind(42))
	}
}

func TestJoinInvalid(t *testing.T) {
	if JoinInvalid(nil, nil) != nil {
		t.Error("nothing wrong is no error")
	}
	one := Invalid("INVALID_EMAIL", "email: bad", FieldViolation{Field: "email", Description: "bad"})
	if JoinInvalid(nil, one) != one {
		t.Error("one error stays as it is")
	}
	joined, ok := As(JoinInvalid(Invalid("INVALID_FIELD", "a: required", FieldViolation{Field: "a"}), nil, one))
	if !ok || joined.Reason != "INVALID_FIELD" || len(joined.Violations) != 2 || joined.Violations[1].Field != "email" ||
		joined.Message != "a: required; email: bad" {
		t.Errorf("joined %+v", joined)
	}
	other := NotFound("X", "gone")
	if JoinInvalid(one, other) != other {
		t.Error("an error about no field wins")
	}
	if e, _ := As(WithField(KindNotFound, "COMPANY_NOT_FOUND", "not found", FieldViolation{Field: "companyId"})); e.Kind != KindNotFound || e.Violations[0].Field != "companyId" {
		t.Errorf("WithField %+v", e)
	}
}
