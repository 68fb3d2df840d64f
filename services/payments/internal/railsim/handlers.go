package railsim

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
)

// maxRequestBytes bounds a request body: a transaction object is a few hundred bytes.
const maxRequestBytes = 64 << 10

func (s *Sim) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+mmapi.PathDisbursement, s.authorised(s.postDisbursement))
	mux.HandleFunc("POST "+mmapi.PathReversal, s.authorised(s.postReversal))
	mux.HandleFunc("GET "+mmapi.PathRequestState+"{id}", s.authorised(s.faulty(s.getRequestState)))
	mux.HandleFunc("GET "+mmapi.PathTransaction+"{id}", s.authorised(s.faulty(s.getTransaction)))
	mux.HandleFunc("GET "+mmapi.PathResponse+"{id}", s.authorised(s.faulty(s.getResponse)))
	mux.HandleFunc("GET "+mmapi.PathAccounts+"{type}/{id}"+mmapi.PathAccountName, s.authorised(s.faulty(s.getAccountName)))
	mux.HandleFunc("GET "+mmapi.PathHeartbeat, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, mmapi.Heartbeat{ServiceStatus: "available"})
	})
	mux.HandleFunc("GET /simulator/totals", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, s.Totals()) })
	mux.HandleFunc("GET /simulator/faults", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, s.Faults()) })
	mux.HandleFunc("PUT /simulator/faults", s.putFaults)
	return mux
}

// authorised refuses API calls without the bearer token, when the simulator has one.
func (s *Sim) authorised(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if s.o.Token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.o.Token)) != 1 {
			writeJSON(w, http.StatusUnauthorized, apiError(mmapi.CategoryAuthorisation, "unauthorised", "a valid bearer token is required"))
			return
		}
		h(w, r)
	}
}

// faulty injects the faults of a read: a delay, a 503, a time-out.
func (s *Sim) faulty(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, n := "GET "+r.URL.Path, int(s.gets.Add(1))
		f := s.Faults()
		if s.hit(f.Delay, faultDelay, key, n) {
			s.delay(r.Context(), key, n)
		}
		if s.hit(f.ErrorBeforeAccept, faultErrorBefore, key, n) {
			writeJSON(w, http.StatusServiceUnavailable, apiError(mmapi.CategoryUnavailable, mmapi.CodeGenericError, "try again later"))
			return
		}
		if s.hit(f.Timeout, faultTimeout, key, n) {
			s.hold(w, r)
			return
		}
		h(w, r)
	}
}

func (s *Sim) postDisbursement(w http.ResponseWriter, r *http.Request) {
	t, bad := readPost(w, r, mmapi.TypeDisbursement)
	if bad != nil {
		writeJSON(w, http.StatusBadRequest, bad)
		return
	}
	s.post(w, r, t, s.acceptDisbursement)
}

func (s *Sim) postReversal(w http.ResponseWriter, r *http.Request) {
	t, bad := readPost(w, r, mmapi.TypeReversal)
	if bad != nil {
		writeJSON(w, http.StatusBadRequest, bad)
		return
	}
	s.post(w, r, t, s.acceptReversal)
}

// post takes a request the way a rail does, with the faults around the moment it records it: a delay and a
// 503 before, a 500 or a time-out after. Every answer is noted under the correlation id.
func (s *Sim) post(w http.ResponseWriter, r *http.Request, t *txn, accept func(*txn) (*txn, *refuse)) {
	cid := t.correlationID
	n := s.nextAttempt(cid)
	f := s.Faults()
	if s.hit(f.Delay, faultDelay, cid, n) {
		s.delay(r.Context(), cid, n)
	}
	if s.hit(f.ErrorBeforeAccept, faultErrorBefore, cid, n) {
		s.answer(w, r, cid, http.StatusServiceUnavailable, apiError(mmapi.CategoryUnavailable, mmapi.CodeGenericError, "try again later"))
		return
	}
	got, refused := accept(t)
	if refused != nil {
		s.answer(w, r, cid, refused.status, refused.err)
		return
	}
	if s.hit(f.ErrorAfterAccept, faultErrorAfter, cid, n) {
		s.answer(w, r, cid, http.StatusInternalServerError, apiError(mmapi.CategoryInternal, mmapi.CodeGenericError, "internal error"))
		return
	}
	if s.hit(f.Timeout, faultTimeout, cid, n) {
		status := 0
		if s.hold(w, r) {
			status = http.StatusGatewayTimeout
		}
		s.answered(cid, status)
		return
	}
	s.answer(w, r, cid, http.StatusAccepted, s.requestState(got))
}

// answer writes a POST's answer and notes it; one the client is no longer waiting for is noted as 0.
func (s *Sim) answer(w http.ResponseWriter, r *http.Request, cid string, status int, v any) {
	if r.Context().Err() != nil {
		s.answered(cid, 0)
		return
	}
	s.answered(cid, status)
	writeJSON(w, status, v)
}

// readPost reads and checks a POST of the given transaction type; the error object says what is wrong.
func readPost(w http.ResponseWriter, r *http.Request, kind string) (*txn, *mmapi.Error) {
	cid := r.Header.Get(mmapi.HeaderCorrelationID)
	if !mmapi.ValidCorrelationID(cid) {
		return nil, invalid("X-CorrelationID must be 1-128 letters, digits and - _ . : characters")
	}
	cb := r.Header.Get(mmapi.HeaderCallbackURL)
	if u, err := url.Parse(cb); cb != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		return nil, invalid("X-Callback-URL must be an absolute http(s) URL")
	}
	var req mmapi.Transaction
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBytes)).Decode(&req); err != nil {
		return nil, invalid("the body is not a transaction object")
	}
	if req.Type != kind {
		return nil, invalid("type must be " + kind)
	}
	t := &txn{kind: kind, correlationID: cid, req: req, orgRef: req.RequestingOrganisationTransactionReference, callbackURL: cb}
	if t.orgRef == "" {
		t.orgRef = cid
	}
	if kind == mmapi.TypeReversal {
		if !mmapi.ValidCorrelationID(req.OriginalTransactionReference) {
			return nil, invalid("originalTransactionReference is required")
		}
		t.canon = kind + "|" + req.OriginalTransactionReference + "|" + t.orgRef
		return t, nil
	}
	return t, checkDisbursement(t)
}

// checkDisbursement checks the amount and the payee, and sets what makes a re-send the same instruction:
// the amount (in minor units, so "1.5" and "1.50" are one), currency, payee and instruction reference.
func checkDisbursement(t *txn) *mmapi.Error {
	minor, err := mmapi.ParseAmount(t.req.Amount, t.req.Currency)
	if err != nil {
		return invalid("amount and currency: " + err.Error())
	}
	if len(t.req.CreditParty) == 0 || t.req.CreditParty[0].Value == "" ||
		!strings.Contains(" msisdn accountid walletid ", " "+t.req.CreditParty[0].Key+" ") {
		return invalid("creditParty must name the payee by msisdn, accountid or walletid")
	}
	t.minor = minor
	p := t.req.CreditParty[0]
	t.canon = strings.Join([]string{t.kind, t.req.Currency, strconv.FormatInt(minor, 10), p.Key, p.Value, t.orgRef}, "|")
	return nil
}

func invalid(description string) *mmapi.Error {
	return apiError(mmapi.CategoryValidation, mmapi.CodeFormatError, description)
}

func (s *Sim) getResponse(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	t := s.led.byCorrelation[r.PathValue("id")]
	s.mu.Unlock()
	if t == nil {
		writeJSON(w, http.StatusNotFound, apiError(mmapi.CategoryIdentification, mmapi.CodeNotFound, "no request under this correlation id"))
		return
	}
	writeJSON(w, http.StatusOK, mmapi.ResponseLink{ClientCorrelationID: t.correlationID, Link: mmapi.PathRequestState + t.serverID})
}

func (s *Sim) getRequestState(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	t := s.led.byServer[r.PathValue("id")]
	s.mu.Unlock()
	if t == nil {
		writeJSON(w, http.StatusNotFound, apiError(mmapi.CategoryIdentification, mmapi.CodeNotFound, "no such request state"))
		return
	}
	writeJSON(w, http.StatusOK, s.requestState(t))
}

func (s *Sim) getTransaction(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	t := s.led.byRef[r.PathValue("id")]
	var v mmapi.Transaction
	if t != nil {
		v = s.transactionLocked(t)
	}
	s.mu.Unlock()
	if t == nil {
		writeJSON(w, http.StatusNotFound, apiError(mmapi.CategoryIdentification, mmapi.CodeNotFound, "no such transaction"))
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Sim) getAccountName(w http.ResponseWriter, r *http.Request) {
	idType, address := r.PathValue("type"), r.PathValue("id")
	if !strings.Contains(" msisdn accountid walletid ", " "+idType+" ") {
		writeJSON(w, http.StatusBadRequest, invalid("identifier type must be msisdn, accountid or walletid"))
		return
	}
	if s.accountUnknown(address) {
		writeJSON(w, http.StatusNotFound, apiError(mmapi.CategoryIdentification, mmapi.CodeIdentifierError, "no such account"))
		return
	}
	var name mmapi.AccountName
	name.Name.FirstName, name.Name.LastName = s.holderName(address)
	name.Name.FullName = name.Name.FirstName + " " + name.Name.LastName
	writeJSON(w, http.StatusOK, name)
}

func (s *Sim) putFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBytes)).Decode(&f); err != nil {
		writeJSON(w, http.StatusBadRequest, invalid("the body is not a set of fault rates"))
		return
	}
	if err := s.SetFaults(f); err != nil {
		writeJSON(w, http.StatusBadRequest, invalid(err.Error()))
		return
	}
	writeJSON(w, http.StatusOK, f)
}

func apiError(category, code, description string) *mmapi.Error {
	return &mmapi.Error{ErrorCategory: category, ErrorCode: code, ErrorDescription: description,
		ErrorDateTime: time.Now().UTC().Format(time.RFC3339Nano)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
