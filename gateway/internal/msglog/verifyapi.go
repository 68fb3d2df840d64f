package msglog

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/govstackbb/marketplace/gateway/internal/rest"
	"google.golang.org/grpc/codes"
)

// The verification API: GET /api/v1/msglog/verification?from=&to=&limit= runs the verify-log check over
// the records logged in [from, to) (default: the last 24 hours) and at most limit records (default and
// maximum MaxVerifyRecords), and answers what it found. The gateway mounts it for IM admins only. One
// verification runs at a time per replica; another request meanwhile is answered 429.

// MaxVerifyRecords bounds the records one verification request walks: a few seconds of work.
const MaxVerifyRecords = 200_000

// maxVerifyWindow bounds a verification's time range.
const maxVerifyWindow = 31 * 24 * time.Hour

// VerificationView is the API's answer.
type VerificationView struct {
	OK                 bool              `json:"ok"`
	From               time.Time         `json:"from"`
	To                 time.Time         `json:"to"`
	RecordsChecked     int64             `json:"recordsChecked"`
	LimitReached       bool              `json:"limitReached"`
	CheckpointsChecked bool              `json:"checkpointsChecked"`
	CheckpointsNote    string            `json:"checkpointsNote,omitempty"`
	ChainsOutside      int               `json:"chainsOutsideWindow"`
	Chains             []ChainView       `json:"chains"`
	FirstBroken        *BrokenRecordView `json:"firstBroken,omitempty"`
}

// ChainView is one chain the verification walked.
type ChainView struct {
	Chain    string `json:"chain"`
	Kind     string `json:"kind"`
	FirstSeq int64  `json:"firstSeq"`
	HeadSeq  int64  `json:"headSeq"`
	Records  int64  `json:"recordsChecked"`
	Dropped  int64  `json:"dropped,omitempty"`
	// Checkpoint is the sequence number of the checkpoint the chain was compared with (0: none).
	Checkpoint int64             `json:"checkpointSeq,omitempty"`
	Partial    bool              `json:"partial,omitempty"`
	Problem    *BrokenRecordView `json:"problem,omitempty"`
}

// BrokenRecordView is the first broken record of a chain.
type BrokenRecordView struct {
	Chain  string `json:"chain"`
	Seq    int64  `json:"seq"`
	Kind   string `json:"kind"`
	Detail string `json:"detail"`
}

// VerificationHandler serves the verification API; options gives the keys and checkpoints to trust, as
// `gateway verify-log` reads them.
func (l *Log) VerificationHandler(options func(context.Context) (VerifyOptions, error)) http.Handler {
	var running sync.Mutex
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		win, msg := parseWindow(r, time.Now())
		if msg != "" {
			rest.WriteError(w, r, http.StatusBadRequest, codes.InvalidArgument, msg)
			return
		}
		if !running.TryLock() {
			rest.SetRetryAfter(w, 5*time.Second)
			rest.WriteError(w, r, http.StatusTooManyRequests, codes.ResourceExhausted,
				"a message-log verification is already running; retry when it has finished")
			return
		}
		defer running.Unlock()
		o, err := options(r.Context())
		if err == nil {
			o.Window = &win
			var rep Report
			if rep, err = VerifyWith(r.Context(), l.pool, o); err == nil {
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(viewOf(rep, win))
				return
			}
		}
		l.opts.Logger.ErrorContext(r.Context(), "message-log verification failed", "error", err)
		rest.WriteError(w, r, http.StatusServiceUnavailable, codes.Unavailable, "the message log cannot be verified right now; retry later")
	})
}

// parseWindow reads from, to and limit, or returns a message naming the parameter to fix.
func parseWindow(r *http.Request, now time.Time) (Window, string) {
	v := r.URL.Query()
	win := Window{MaxRecords: MaxVerifyRecords}
	var msg string
	if win.From, win.To, msg = parseRange(v, now); msg != "" {
		return win, msg
	}
	if win.To.Sub(win.From) > maxVerifyWindow {
		return win, "from and to may be at most 31 days apart; verify a longer period in parts or with `gateway verify-log`"
	}
	var err error
	if s := v.Get("limit"); s != "" {
		if win.MaxRecords, err = strconv.ParseInt(s, 10, 64); err != nil || win.MaxRecords < 1 || win.MaxRecords > MaxVerifyRecords {
			return win, "limit must be a whole number from 1 to " + strconv.Itoa(MaxVerifyRecords)
		}
	}
	win.From, win.To = win.From.UTC(), win.To.UTC()
	return win, ""
}

// viewOf is the API's answer for a report: the chains walked (those with no record in the window are only
// counted) and the first broken record of all.
func viewOf(rep Report, win Window) VerificationView {
	v := VerificationView{OK: rep.OK(), From: win.From, To: win.To, LimitReached: rep.LimitReached,
		CheckpointsChecked: rep.CheckpointsChecked, CheckpointsNote: rep.CheckpointsNote, Chains: []ChainView{}}
	for _, c := range rep.Chains {
		if c.Records == 0 && c.Partial && c.Problem == nil {
			v.ChainsOutside++
			continue
		}
		cv := ChainView{Chain: c.Chain, Kind: c.Kind, FirstSeq: c.FirstSeq, HeadSeq: c.HeadSeq, Records: c.Records,
			Dropped: c.Dropped, Checkpoint: c.Anchored, Partial: c.Partial}
		if p := c.Problem; p != nil {
			cv.Problem = &BrokenRecordView{Chain: c.Chain, Seq: p.Seq, Kind: string(p.Kind), Detail: p.Detail}
			if v.FirstBroken == nil {
				v.FirstBroken = cv.Problem
			}
		}
		v.RecordsChecked += c.Records
		v.Chains = append(v.Chains, cv)
	}
	return v
}
