package railsim

import (
	"context"
	"encoding/binary"
	"hash/fnv"
	"net/http"
	"strconv"
	"time"

	"github.com/govstackbb/marketplace/services/payments/internal/rail/mmapi"
)

// Fault kinds, as counted in Totals.Faults.
const (
	faultDelay             = "delay"
	faultErrorBefore       = "errorBeforeAccept"
	faultErrorAfter        = "errorAfterAccept"
	faultTimeout           = "timeout"
	faultUnknownAccount    = "unknownAccount"
	faultInsufficientFunds = "insufficientFunds"
)

// roll is a number in [0, 1) fixed by the seed, the kind of decision, its key (a correlation id, an
// account) and n (which sending of that id): the same run makes the same decisions in any order.
func (s *Sim) roll(kind, key string, n int) float64 {
	h := fnv.New64a()
	var seed [8]byte
	binary.LittleEndian.PutUint64(seed[:], uint64(s.o.Seed))
	_, _ = h.Write(seed[:])
	_, _ = h.Write([]byte(kind + "\x00" + key + "\x00" + strconv.Itoa(n)))
	return float64(splitmix(h.Sum64())>>11) / (1 << 53)
}

// splitmix spreads the bits of a hash (FNV's low bits alone are poorly mixed for short keys).
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hit decides a fault of the given rate and counts it when it happens.
func (s *Sim) hit(rate float64, kind, key string, n int) bool {
	if rate <= 0 || s.roll(kind, key, n) >= rate {
		return false
	}
	s.mu.Lock()
	s.led.faults[kind]++
	s.mu.Unlock()
	return true
}

// delay waits a seeded share of MaxDelay, or until the client goes away.
func (s *Sim) delay(ctx context.Context, key string, n int) {
	d := time.Duration(s.roll("delay-length", key, n) * float64(s.o.MaxDelay))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-s.closing:
	}
}

// hold keeps a request unanswered until the client gives up; after HoldMax it answers 504. It reports
// whether it answered.
func (s *Sim) hold(w http.ResponseWriter, r *http.Request) bool {
	t := time.NewTimer(s.o.HoldMax)
	defer t.Stop()
	select {
	case <-r.Context().Done():
		return false
	case <-s.closing:
		return false
	case <-t.C:
		writeJSON(w, http.StatusGatewayTimeout, apiError(mmapi.CategoryUnavailable, mmapi.CodeGenericError, "the request timed out"))
		return true
	}
}

// accountUnknown decides, the same way every time for one account, whether the rail knows it.
func (s *Sim) accountUnknown(address string) bool {
	if s.unknown[address] {
		return true
	}
	rate := s.Faults().UnknownAccount
	return rate > 0 && s.roll(faultUnknownAccount, address, 0) < rate
}

// holderName is a made-up name for a known account, the same for one account in every run with the seed.
func (s *Sim) holderName(address string) (first, last string) {
	firsts := []string{"Amina", "Baraka", "Chipo", "Dawit", "Esi", "Farah", "Gift", "Hawa", "Imani", "Jabari"}
	lasts := []string{"Achieng", "Banda", "Cisse", "Diallo", "Eze", "Fofana", "Gatete", "Haile", "Ito", "Juma"}
	return firsts[int(s.roll("first-name", address, 0)*10)], lasts[int(s.roll("last-name", address, 0)*10)]
}
