package msglog

import (
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"github.com/govstackbb/marketplace/platform/imident"
	"google.golang.org/grpc/codes"
)

// MaxOpDataLimit bounds one page of operational data.
const MaxOpDataLimit = 1000

const defaultOpDataLimit = 100

// OpDataRecord is one logged message as the operational-data API shows it. Bodies are never shown.
type OpDataRecord struct {
	MessageID     string    `json:"messageId"`
	Direction     string    `json:"direction"`
	Client        string    `json:"client"`
	Service       string    `json:"service"`
	Endpoint      string    `json:"endpoint"`
	Method        string    `json:"method"`
	Path          string    `json:"path"`
	Started       time.Time `json:"startedAt"`
	Finished      time.Time `json:"finishedAt"`
	Status        int       `json:"status,omitempty"`
	Size          int64     `json:"size"`
	BodySHA256    string    `json:"bodySha256,omitempty"`
	TraceID       string    `json:"traceId,omitempty"`
	CorrelationID string    `json:"correlationId,omitempty"`
}

// Register mounts the operational-data API: GET /api/v1/opdata.
func (l *Log) Register(mux rest.Mux) {
	mux.Handle("GET /api/v1/opdata", l.OpData())
}

// OpData serves GET /api/v1/opdata?from=&to=&limit=: the records, oldest first, of calls the authenticated
// caller made (as client) or served (as the provider of the service), started in [from, to). from and to are
// RFC 3339 (default: the last 24 hours up to now); limit is 1..1000 (default 100). Never another client's
// records; anonymous callers get 401.
func (l *Log) OpData() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, ok := imident.FromContext(r.Context())
		if !ok || caller.IsZero() {
			rest.WriteError(w, r, http.StatusUnauthorized, codes.Unauthenticated,
				"operational data is per client: authenticate as the client whose records you want")
			return
		}
		q, msg := parseOpDataQuery(r)
		if msg != "" {
			rest.WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument, msg)
			return
		}
		records, err := l.opData(r, caller.String(), q)
		if err != nil {
			l.opts.Logger.ErrorContext(r.Context(), "operational data query failed", "error", err)
			rest.WriteError(w, r, http.StatusServiceUnavailable, codes.Unavailable, "the message log is unavailable; retry later")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"records": records})
	})
}

type opDataQuery struct {
	from, to time.Time
	limit    int
}

// parseRange reads the from and to parameters (RFC 3339; default: the 24 hours up to now), or returns a
// message naming the one to fix.
func parseRange(v url.Values, now time.Time) (from, to time.Time, msg string) {
	var err error
	to = now
	if s := v.Get("to"); s != "" {
		if to, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return from, to, "to must be an RFC 3339 time, e.g. 2026-01-02T15:04:05Z"
		}
	}
	from = to.Add(-24 * time.Hour)
	if s := v.Get("from"); s != "" {
		if from, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return from, to, "from must be an RFC 3339 time, e.g. 2026-01-02T15:04:05Z"
		}
	}
	if !from.Before(to) {
		return from, to, "from must be before to"
	}
	return from, to, ""
}

// parseOpDataQuery returns the query or a message saying what to fix.
func parseOpDataQuery(r *http.Request) (opDataQuery, string) {
	v := r.URL.Query()
	q := opDataQuery{limit: defaultOpDataLimit}
	var msg string
	if q.from, q.to, msg = parseRange(v, time.Now()); msg != "" {
		return q, msg
	}
	var err error
	if s := v.Get("limit"); s != "" {
		if q.limit, err = strconv.Atoi(s); err != nil || q.limit < 1 || q.limit > MaxOpDataLimit {
			return q, "limit must be a whole number from 1 to " + strconv.Itoa(MaxOpDataLimit)
		}
	}
	return q, ""
}

func (l *Log) opData(r *http.Request, caller string, q opDataQuery) ([]OpDataRecord, error) {
	// Two index scans (client, provider) rather than an OR, so each uses its index.
	rows, err := l.pool.Query(r.Context(), `
		WITH mine AS (
			SELECT chain_id, seq FROM im_msglog_record
			WHERE direction <> 'audit' AND client = $1 AND started_at >= $2 AND started_at < $3
			UNION
			SELECT chain_id, seq FROM im_msglog_record
			WHERE direction <> 'audit' AND provider = $1 AND started_at >= $2 AND started_at < $3
		)
		SELECT message_id, direction, client, service, endpoint, method, path, started_at, finished_at, status,
		       size, body_sha256, trace_id, correlation_id
		FROM im_msglog_record r JOIN mine USING (chain_id, seq)
		ORDER BY started_at, message_id, direction
		LIMIT $4`, caller, q.from, q.to, q.limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []OpDataRecord{}
	for rows.Next() {
		var o OpDataRecord
		var sum []byte
		if err := rows.Scan(&o.MessageID, &o.Direction, &o.Client, &o.Service, &o.Endpoint, &o.Method, &o.Path,
			&o.Started, &o.Finished, &o.Status, &o.Size, &sum, &o.TraceID, &o.CorrelationID); err != nil {
			return nil, err
		}
		o.Started, o.Finished, o.BodySHA256 = o.Started.UTC(), o.Finished.UTC(), hex.EncodeToString(sum)
		out = append(out, o)
	}
	return out, rows.Err()
}
