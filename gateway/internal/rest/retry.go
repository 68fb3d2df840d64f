package rest

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
)

// SetRetryAfter sets the Retry-After header to d in whole seconds, rounded up and at least 1 (a client
// told "0" would retry at once).
func SetRetryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(RetryAfterSeconds(d)))
}

// RetryAfterSeconds is d in whole seconds for Retry-After: rounded up, at least 1.
func RetryAfterSeconds(d time.Duration) int {
	return max(int(math.Ceil(d.Seconds())), 1)
}

// retryDelay finds the RetryInfo a BB attached to its error (grpcerr does for apierr.Error.RetryAfter).
func retryDelay(details []any) (time.Duration, bool) {
	for _, d := range details {
		if ri, ok := d.(*errdetails.RetryInfo); ok && ri.GetRetryDelay() != nil {
			return ri.GetRetryDelay().AsDuration(), true
		}
	}
	return 0, false
}
